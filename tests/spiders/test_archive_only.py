"""Archive-only mode (``EXTRACT_ENABLED=False``, issue 10): the crawl archives and records
every capture and extracts nothing, with no worker process; ``crawler replay`` then fills in
the articles from its WARC files, the same articles as a full crawl stores. And in either
mode the crawl's main process imports nothing extraction needs: the workers do."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_SOME_FAILED
from tests.replay.test_replay import ARTICLE_FIELDS, articles_by_url, rows

PROBE = {"EXTENSIONS": json.dumps({"tests.process_probe.ProcessProbe": 0})}


@pytest.fixture(scope="module")
def two_crawls(crawl, tmp_path_factory):
    """A full crawl and an archive-only crawl of a fixture site of their own."""
    workdir = tmp_path_factory.mktemp("archive-only")
    runs = {}
    with FixtureServer() as server:
        for name, settings in (("full", {}), ("archive-only", {"EXTRACT_ENABLED": "False"})):
            probe = workdir / f"{name}.json"
            run = crawl(workdir / name, urls=server.seed_urls(),
                        settings={**PROBE, **settings}, env={"SEEDCRAWLER_PROBE": str(probe)})
            # the fixture site's 404 seed: in both modes
            assert run.process.returncode == EXIT_SOME_FAILED, run.log[-5000:]
            runs[name] = (run, json.loads(probe.read_text(encoding="utf-8")))
    return runs


def test_archive_only_archives_everything_and_extracts_nothing(two_crawls):
    (full, _), (archive_only, probe) = two_crawls["full"], two_crawls["archive-only"]
    assert rows(archive_only.db_path, "articles") == []
    assert len(rows(archive_only.db_path, "captures")) == len(rows(full.db_path, "captures"))
    assert [r.rec_type for r in archive_only.records()].count("response") == \
        [r.rec_type for r in full.records()].count("response")
    assert probe["processes"] == 0, "archive-only started other processes"
    (crawl_row,) = rows(archive_only.db_path, "crawls")
    not_extracted = json.loads(crawl_row["stats"]).get("articles/not_extracted", 0)
    assert not_extracted > 0
    # The summary says why there are no articles, and what gives them.
    assert f"; {not_extracted} not extracted (EXTRACT_ENABLED=False: crawler replay " \
        "extracts them)" in archive_only.log


def test_the_main_process_imports_nothing_extraction_needs(two_crawls):
    for name in ("full", "archive-only"):
        _, probe = two_crawls[name]
        assert probe["imported"] == [], (name, probe["imported"])
    assert two_crawls["full"][1]["processes"] > 0  # its workers did the extracting


def test_replay_fills_in_the_articles_a_full_crawl_stores(two_crawls):
    (full, _), (archive_only, _) = two_crawls["full"], two_crawls["archive-only"]
    result = CliRunner().invoke(cli, ["replay", str(archive_only.warc_dir),
                                      "--db", str(archive_only.db_path), "--workers", "2"])
    assert result.exit_code == 0, result.output
    live, replayed = articles_by_url(full.db_path), articles_by_url(archive_only.db_path)
    assert live and set(replayed) == set(live)
    for url, row in live.items():
        for name in ARTICLE_FIELDS:
            if name != "fetched_at":  # two crawls: fetched at different times
                assert replayed[url][name] == row[name], (url, name)
