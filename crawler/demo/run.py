"""The offline demonstration: crawl the bundled fixture pages from a local server.

The site's address is part of every article's URL, so a second demo on another port would
store every article a second time. The demo therefore serves the site on one port
(``DEMO_PORT``, or the port the archive's last demo used): run again, it crawls the same
URLs as a scheduled crawl would (conditional requests, revisits, articles kept once). When
that port is taken, it serves on a free port and, the URLs having changed, starts the
demo's archive afresh, provided every crawl in it was a demo's; an archive holding other
crawls is never deleted (the articles are then stored under their new URLs).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from crawler.demo.site.server import FixtureServer

#: the demo site's port unless told otherwise (tests pass their own free port)
DEMO_PORT = 8765
SEEDS_NAME = "demo-seeds.txt"
#: crawl statuses a demo may end with: 3, since it seeds a page that answers 404 on purpose
DEMO_EXPECTED_STATUSES = (0, 3)

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
    base_url: str = ""
    notes: list[str] = field(default_factory=list)


def crawl_command(seeds_file: Path, archive_dir: Path, settings: dict[str, str]) -> list[str]:
    """The ``scrapy crawl seeds`` command line for a seed file and archive folder."""
    command = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", f"seeds={seeds_file}",
               "-s", f"ARCHIVE_DIR={archive_dir}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def previous_port(archive_dir: Path) -> int | None:
    """The port of the site the archive's last demo crawled (from its seed file)."""
    try:
        lines = (archive_dir / SEEDS_NAME).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("http"):
            return urlsplit(line).port
    return None


def only_demo_crawls(archive_dir: Path) -> bool:
    """Whether every crawl the archive records crawled the demo's seed file."""
    db_path = archive_dir / "archive.db"
    if not db_path.exists():
        return not (archive_dir / "warc").exists() or not any((archive_dir / "warc").iterdir())
    db = sqlite_utils.Database(db_path)
    try:
        if not db["crawls"].exists():
            return False
        sources = {row["seed_source"] for row in db.query("select seed_source from crawls")}
    finally:
        db.close()
    return sources <= {str(archive_dir / SEEDS_NAME)}


def reset_archive(archive_dir: Path) -> None:
    """Remove what a demo wrote: WARC files, the database, the seed file."""
    shutil.rmtree(archive_dir / "warc", ignore_errors=True)
    for name in ("archive.db", "archive.db-wal", "archive.db-shm", SEEDS_NAME):
        (archive_dir / name).unlink(missing_ok=True)


def start_site(port: int, notes: list[str]) -> FixtureServer:
    """The fixture site on ``port``, else on a free port (with a note saying so)."""
    try:
        return FixtureServer(port=port).start()
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES) or port == 0:
            raise
    server = FixtureServer(port=0).start()
    notes.append(f"port {port} is in use: the demo site is on port {server.port} instead")
    return server


def run_demo(archive_dir: Path, port: int | None = None) -> DemoResult:
    """Serve the fixture site, crawl it with ``scrapy crawl seeds``, report what was written.

    :param archive_dir: where the WARC files and the database go
    :param port: the site's port (None: the archive's last demo's, else ``DEMO_PORT``;
        0: any free port)
    """
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    notes: list[str] = []
    last = previous_port(archive_dir)
    wanted = port if port is not None else last or DEMO_PORT
    with start_site(wanted, notes) as server:
        if last is not None and server.port != last:
            if only_demo_crawls(archive_dir):
                reset_archive(archive_dir)
                notes.append(f"the site's URLs changed (port {last} -> {server.port}): "
                             f"{archive_dir} was started afresh")
            else:
                notes.append(f"the site's URLs changed (port {last} -> {server.port}) and "
                             f"{archive_dir} holds other crawls: its articles are stored "
                             "again under the new URLs")
        seeds_file = archive_dir / SEEDS_NAME
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
        base_url = server.base_url
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
        base_url=base_url,
        notes=notes,
    )
