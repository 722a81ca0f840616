"""Real crawls in a subprocess: `scrapy crawl seeds` run as a user runs it.

The reactor cannot be restarted within one process, so every crawl is a subprocess, against
a local server on 127.0.0.1. Nothing goes online. The fixtures are in ``conftest.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.warc.reader import StoredRecord, iter_records

REPO = Path(__file__).resolve().parents[1]

BROWSER_LOOPBACK_ONLY = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, "
                         "EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2")

# Politeness is for real sites; the fixture site is local.
TEST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "EXTRACT_WORKERS": "2",
    "RETRY_TIMES": "0",
    "LOG_LEVEL": "INFO",
    # Requisites on CDNs the fixture pages name are never fetched (tests/offline.py).
    "TWISTED_DNS_RESOLVER": "tests.offline.LoopbackResolver",
    # The same for a rendered page's browser: it resolves no name but loopback ones.
    "RENDER_BROWSER_ARGS": json.dumps([BROWSER_LOOPBACK_ONLY]),
}


# The fixture pages embed images from the CDNs of the sites they copy (sinaimg.cn, 126.net):
# requisites the offline resolver refuses, recorded as failed requisites. A test whose
# assertions are about the pages alone leaves them out with these settings.
LOCAL_REQUISITES_ONLY = {
    "PAGE_REQUISITES_EXCLUDE": r"^https?://(?!(127\.\d+\.\d+\.\d+|localhost)[:/])",
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


class OneRun(CrawlRun):
    """One run of several into the same archive: only the WARC files it wrote."""

    def __init__(self, run: CrawlRun, files: list[Path]) -> None:
        super().__init__(run.archive_dir, run.process)
        self._files = files

    @property
    def warc_files(self) -> list[Path]:
        return self._files


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
