"""WACZ packages (crawler.wacz): `crawler wacz` on a real crawl's archive, checked with
py-wacz's own `wacz validate` and read back as a zip."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.wacz import WaczError, write_wacz


@pytest.fixture(scope="module")
def packaged(requisite_crawls, tmp_path_factory):
    output = tmp_path_factory.mktemp("wacz") / "news.wacz"
    result = CliRunner().invoke(cli, ["wacz", str(requisite_crawls.archive_dir), "-o",
                                      str(output), "--validate"])
    assert result.exit_code == 0, result.output
    assert "valid    " in result.output
    return output


def test_wacz_validate_accepts_it(packaged):
    done = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(packaged)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation succeeded" in done.stdout


def test_it_holds_every_warc_and_an_index_of_the_requisites(packaged, requisite_crawls):
    with zipfile.ZipFile(packaged) as wacz:
        names = set(wacz.namelist())
        warcs = {path.name for path in (requisite_crawls.archive_dir / "warc").glob(
            "*.warc.gz")}
        assert {f"archive/{name}" for name in warcs} <= names
        assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl",
                "indexes/index.cdx.gz"} <= names
        import gzip

        index = gzip.decompress(wacz.read("indexes/index.cdx.gz")).decode()
    for url in requisite_crawls.site.requisites:
        assert f'"url": "{url}"' in index, url


def test_pages_come_from_the_database(packaged, requisite_crawls):
    with zipfile.ZipFile(packaged) as wacz:
        lines = wacz.read("pages/pages.jsonl").decode("ascii").splitlines()
    header, pages = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    assert header["format"] == "json-pages-1.0" and header["hasText"] is True
    seeds = requisite_crawls.site.seeds
    # each seed page once: the second run's captures are 304s (not pages); no requisite
    assert sorted(page["url"] for page in pages) == sorted(seeds)
    db = requisite_crawls.first.database()
    titles = {row["final_url"]: row["title"] for row in db["articles"].rows}
    assert {page["url"]: page["title"] for page in pages} == titles
    assert all("rénovation des écoles" in page["text"] for page in pages)
    assert all(page["ts"].endswith("Z") and page["id"] for page in pages)


def test_no_text_option_and_errors(requisite_crawls, tmp_path):
    result = write_wacz(requisite_crawls.archive_dir / "warc",
                        requisite_crawls.archive_dir / "archive.db", tmp_path / "t.wacz",
                        text=False)
    assert result.pages == 2
    with zipfile.ZipFile(result.path) as wacz:
        assert "text" not in wacz.read("pages/pages.jsonl").decode()
    (tmp_path / "empty" / "warc").mkdir(parents=True)
    with pytest.raises(WaczError, match="no closed WARC file"):
        write_wacz(tmp_path / "empty" / "warc", tmp_path / "empty" / "archive.db",
                   tmp_path / "x.wacz")
    result = CliRunner().invoke(cli, ["wacz", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "no closed WARC file" in result.output
