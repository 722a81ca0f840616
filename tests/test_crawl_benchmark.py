"""The crawl benchmark runs end to end on a tiny site and prints its table. No speeds are
checked here: ``python benchmarks/crawl_benchmark.py`` reports them (issue 10).

Deselect with ``-m "not benchmark"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "benchmarks" / "crawl_benchmark.py"

pytestmark = pytest.mark.benchmark


def test_tiny_run_prints_the_expected_rows(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    process = subprocess.run(
        [sys.executable, str(SCRIPT), "--pages", "20", "--repeat", "1", "--large-pages", "0",
         "--only", "scrapy,extract,bare,full,archive-only", "--workers", "2",
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    table = [line for line in process.stdout.splitlines() if line.startswith("| ")]
    labels = [line.split(" | ")[0].removeprefix("| ") for line in table[1:]]
    assert labels == [
        "a bare Scrapy spider fetching the same URLs",
        "`crawler.extract.extract` alone over the same bytes, 2 processes",
        "plain `trafilatura.bare_extraction(..., with_metadata=True)` alone, 2 processes",
        "`scrapy crawl seeds` (WARC + extraction + SQLite)",
        "`scrapy crawl seeds -s EXTRACT_ENABLED=False` (archive-only)",
    ]
    assert "full pipeline / its own extraction alone" in process.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data["rows"]) == ["scrapy", "extract", "bare", "full", "archive-only"]
    for name, row in data["rows"].items():
        best = row["best"]
        assert best["ok"], (name, best["problems"])
        assert best["measured"]["peak_rss_mb"] > 0
    assert data["rows"]["full"]["best"]["counts"]["articles"] == 20
    assert data["rows"]["full"]["best"]["counts"]["captures"] == 21  # + robots.txt
    assert data["site"]["pages"] == 20


def test_site_pages_are_unique_and_about_12_kb() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import crawl_benchmark
    finally:
        sys.path.remove(str(SCRIPT.parent))
    pages = crawl_benchmark.build_site(50)
    assert len({page.body for page in pages}) == 50
    assert len({page.path for page in pages}) == 50
    assert all(11_000 <= len(page.body) <= 13_500 for page in pages)
    assert sum(page.language == "zh" for page in pages) == 40
    assert any(page.charset == "gbk" for page in pages)


def test_the_sampler_counts_python_processes_apart(tmp_path: Path) -> None:
    # Scrapy's start runs `uname -p`; a sample catching it is no extraction worker
    import importlib.util

    spec = importlib.util.spec_from_file_location("crawl_benchmark_module", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    script = tmp_path / "spawn.py"
    script.write_text("import subprocess, time\n"
                      "p = subprocess.Popen(['sleep', '1'])\n"
                      "time.sleep(0.5)\np.wait()\n")
    running = frozenset(module._children(os.getpid()))  # a session's servers, say
    measured = module.measure([sys.executable, str(script)], tmp_path, tmp_path / "log",
                              running)
    assert measured.returncode == 0
    assert measured.peak_processes == 2 and measured.peak_python_processes == 1
