"""The offline demonstration: crawl the bundled fixture pages from a local server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.demo.site.server import FixtureServer

# A demo needs no politeness toward its own local server.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


@dataclass(frozen=True)
class DemoResult:
    returncode: int
    archive_dir: Path
    db_path: Path
    warc_files: list[Path]
    captures: int
    articles: int
    warc_bytes: int


def crawl_command(seeds_file: Path, archive_dir: Path, settings: dict[str, str]) -> list[str]:
    """The ``scrapy crawl seeds`` command line for a seed file and archive folder."""
    command = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", f"seeds={seeds_file}",
               "-s", f"ARCHIVE_DIR={archive_dir}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_demo(archive_dir: Path) -> DemoResult:
    """Serve the fixture site, crawl it with ``scrapy crawl seeds``, report what was written.

    :param archive_dir: where the WARC files and the database go
    """
    archive_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    with FixtureServer() as server:
        seeds_file = archive_dir / "demo-seeds.txt"
        seeds_file.write_text(
            "# seeds of the offline demo, served by crawler.demo.site\n"
            + "\n".join(server.seed_urls()) + "\n",
            encoding="utf-8",
        )
        # Offline: the pages embed images from the CDNs their sites use (sinaimg.cn,
        # 126.net...); only what the local server serves is fetched.
        local = re.escape(server.base_url + "/")
        settings = {**DEMO_SETTINGS, "PAGE_REQUISITES_EXCLUDE": f"^(?!{local})"}
        completed = subprocess.run(crawl_command(seeds_file, archive_dir, settings),
                                   env=env, check=False)
    db_path = archive_dir / "archive.db"
    warc_files = sorted((archive_dir / "warc").glob("*.warc.gz"))
    captures = articles = 0
    if db_path.exists():
        db = sqlite_utils.Database(db_path)
        captures, articles = db["captures"].count, db["articles"].count
        db.close()
    return DemoResult(
        returncode=completed.returncode,
        archive_dir=archive_dir,
        db_path=db_path,
        warc_files=warc_files,
        captures=captures,
        articles=articles,
        warc_bytes=sum(path.stat().st_size for path in warc_files),
    )
