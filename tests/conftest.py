"""Shared fixtures: the local fixture site and real crawls of it in a subprocess
(``tests.crawling``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_SOME_FAILED
from tests.crawling import CrawlRun, OneRun, run_crawl
from tests.requisites_site import RequisiteSite, start_requisite_site


@pytest.fixture(scope="session")
def crawl():
    """``run_crawl`` for tests that need a crawl of their own."""
    return run_crawl


@pytest.fixture(scope="session")
def fixture_site():
    with FixtureServer() as server:
        yield server


@pytest.fixture(scope="session")
def crawled(fixture_site, tmp_path_factory) -> CrawlRun:
    """One crawl of the whole fixture site, shared by the end-to-end tests."""
    workdir = tmp_path_factory.mktemp("crawl")
    seeds_file = workdir / "seeds.txt"
    urls = fixture_site.seed_urls()
    seeds_file.write_text(
        "# fixture site\n"
        + "\n".join(urls)
        + "\nnot-a-url\n"
        + urls[1] + "\n",  # a duplicate: fetched once
        encoding="utf-8",
    )
    run = run_crawl(workdir / "archive", seeds_file)
    # 3: some seeds failed (the site's 404 page, the bad line); README "Exit status"
    assert run.process.returncode == EXIT_SOME_FAILED, run.log[-5000:]
    return run


@dataclass
class RequisiteCrawls:
    """Two runs of ``scrapy crawl seeds`` (default settings) over the requisite site, into
    one archive; the site is stopped once they are done."""

    site: RequisiteSite
    first: CrawlRun
    second: CrawlRun

    @property
    def archive_dir(self):
        return self.first.archive_dir


@pytest.fixture(scope="session")
def requisite_crawls(tmp_path_factory) -> RequisiteCrawls:
    site = start_requisite_site()
    archive = tmp_path_factory.mktemp("requisites") / "archive"
    try:
        first = run_crawl(archive, urls=site.seeds)
        assert first.process.returncode == 0, first.log[-5000:]
        first_files = set(first.warc_files)
        second = run_crawl(archive, urls=site.seeds)
        assert second.process.returncode == 0, second.log[-5000:]
    finally:
        site.stop()
    return RequisiteCrawls(site, OneRun(first, sorted(first_files)),
                           OneRun(second, sorted(set(second.warc_files) - first_files)))
