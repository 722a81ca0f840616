"""The sweep over saved pages without expected texts (benchmarks/extraction_sweep.py): it
counts what extraction refuses and drops, side by side with plain trafilatura."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import pytest

from crawler.demo.site.pages import FRENCH_PATH, build_site

SWEEP_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction_sweep.py"


@pytest.fixture(scope="module")
def sweep_module():
    spec = importlib.util.spec_from_file_location("extraction_sweep", SWEEP_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_sweep_counts_refusals_and_reads_gzipped_pages(sweep_module, tmp_path):
    french = build_site()[FRENCH_PATH].body
    (tmp_path / "fr.example.html.gz").write_bytes(gzip.compress(french))
    # text no charset reads right: refused as mojibake, which the sweep counts
    sentence = "国家统计局今天发布数据显示，全国规模以上工业增加值同比增长。" * 3
    page = "<html><body><article>" + f"<p>{sentence}</p>" * 4 + "</article></body></html>"
    garbled = page.encode("gb18030").decode("cp1252", "replace")
    (tmp_path / "garbled.example.html").write_text(garbled, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a page")
    rows = sweep_module.sweep(sweep_module._pages([tmp_path]))
    by_page = {Path(str(r["page"])).name: r for r in rows}
    assert set(by_page) == {"fr.example.html.gz", "garbled.example.html"}
    french_row = by_page["fr.example.html.gz"]
    assert french_row["raised"] is None
    assert french_row["ours"] > 500 and french_row["kept"] > 0.8
    assert str(by_page["garbled.example.html"]["raised"]).startswith("Mojibake")
    line = sweep_module.render(rows, "tmp")
    assert line.startswith("| tmp | 2 | 1 (Mojibake 1) | 0 |")


def test_sweep_refuses_a_missing_folder(sweep_module, tmp_path, capsys):
    with pytest.raises(SystemExit):
        sweep_module.main([str(tmp_path / "nope")])
    assert "not a folder" in capsys.readouterr().err
