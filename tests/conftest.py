"""Shared fixtures: the local fixture site and real crawls of it in a subprocess.

Crawls run `scrapy crawl seeds` in a subprocess, as a user would (the reactor cannot be
restarted within one process), against the fixture site on 127.0.0.1. Nothing goes online.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from crawler.fixturesite.server import FixtureServer
from crawler.warc.reader import StoredRecord, iter_records

REPO = Path(__file__).resolve().parents[1]

# Politeness is for real sites; the fixture site is local.
TEST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "EXTRACT_WORKERS": "2",
    "RETRY_TIMES": "0",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlRun:
    archive_dir: Path
    process: subprocess.CompletedProcess[str]

    @property
    def db_path(self) -> Path:
        return self.archive_dir / "archive.db"

    @property
    def warc_dir(self) -> Path:
        return self.archive_dir / "warc"

    @property
    def warc_files(self) -> list[Path]:
        return sorted(self.warc_dir.glob("*.warc.gz"))

    @property
    def log(self) -> str:
        return self.process.stdout + self.process.stderr

    def records(self) -> list[StoredRecord]:
        """Every record of the run's WARC files, in file order."""
        return [record for path in self.warc_files for record in iter_records(path)]

    def database(self) -> sqlite_utils.Database:
        return sqlite_utils.Database(self.db_path)


def crawl_command(
    archive_dir: Path,
    seeds_file: Path | None = None,
    urls: list[str] | None = None,
    settings: dict[str, str] | None = None,
) -> list[str]:
    """The ``scrapy crawl seeds`` command line the tests run (from the repository root)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "seeds",
               "-s", f"ARCHIVE_DIR={archive_dir}"]
    if seeds_file is not None:
        command += ["-a", f"seeds={seeds_file}"]
    if urls:
        command += ["-a", "urls=" + ",".join(urls)]
    for name, value in {**TEST_SETTINGS, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl_env(**extra: str) -> dict[str, str]:
    """The environment of a test crawl: ours only. Proxy settings of the machine are dropped
    (tests talk to 127.0.0.1 only) unless a test sets its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SCRAPY_", "SEEDCRAWLER_")) and not k.lower().endswith("_proxy")}
    return {**env, **extra}


def run_crawl(
    archive_dir: Path,
    seeds_file: Path | None = None,
    urls: list[str] | None = None,
    settings: dict[str, str] | None = None,
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> CrawlRun:
    """Run ``scrapy crawl seeds`` from the repository root, as the README says."""
    process = subprocess.run(crawl_command(archive_dir, seeds_file, urls, settings), cwd=REPO,
                             env=crawl_env(**(env or {})), capture_output=True, text=True,
                             timeout=timeout, check=False)
    return CrawlRun(archive_dir, process)


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
    assert run.process.returncode == 0, run.log[-5000:]
    return run
