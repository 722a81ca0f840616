"""Crash safety: a crawl killed with SIGKILL at any moment, then run again, leaves valid
WARC files and a database that agrees with them, and every seed crawled."""

from __future__ import annotations

import gzip
import os
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.site.pages import fixtures_dir
from crawler.warc.reader import iter_records, record_at
from crawler.warc.repair import complete_length
from tests.crawling import REPO, crawl_command, crawl_env, run_crawl
from tests.process_probe import descendants

PAGES = 8
BIG_PAGES = 3


def _sentences() -> list[str]:
    text = (fixtures_dir() / "003_7f560c660c44f70d.txt").read_text(encoding="utf-8")
    return [s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s) > 40]


class Site(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        rng = random.Random(7)
        sentences = _sentences()
        self.pages: dict[str, bytes] = {}
        for n in range(PAGES):
            body = " ".join(rng.choice(sentences) for _ in range(30))
            self.pages[f"/p/{n}.html"] = _html(f"Article {n}", f"Page {n}. {body}")
        for n in range(BIG_PAGES):
            # Large and incompressible: the WARC write of one takes a while (it is archived,
            # not extracted, so the test spends its time writing).
            self.pages[f"/big/{n}.bin"] = rng.randbytes(4_000_000)
        self.slow_arrived = threading.Event()
        self.release_slow = threading.Event()
        self.block_slow = False
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def seeds(self, slow: bool = False) -> list[str]:
        paths = list(self.pages) + (["/slow.html"] if slow else [])
        return [self.url(p) for p in paths]

    def article_seeds(self, slow: bool = False) -> list[str]:
        return [url for url in self.seeds(slow) if url.endswith(".html")]


def _html(title: str, text: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1><p>{text}</p></article></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Site

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/slow.html":
            self.server.slow_arrived.set()
            if self.server.block_slow:
                self.server.release_slow.wait(30)
            body = _html("Slow", "A page that takes its time. " * 20)
        else:
            body = self.server.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        binary = self.path.endswith(".bin")
        gzipped = not binary and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = gzip.compress(body, compresslevel=1)
        self.send_response(200)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        content_type = "application/octet-stream" if binary else "text/html; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = Site()
    yield server
    server.release_slow.set()
    server.shutdown()


SETTINGS = {"ROBOTSTXT_OBEY": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}


def _start(archive: Path, urls: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(crawl_command(archive, urls=urls, settings=SETTINGS), cwd=REPO,
                            env=crawl_env(**env), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _assert_consistent(archive: Path, site: Site, slow: bool = False) -> None:
    """Run again to completion, then check WARC and database against each other."""
    run = run_crawl(archive, urls=site.seeds(slow=slow), settings=SETTINGS)
    assert run.process.returncode == 0, run.log[-4000:]
    warc_dir = archive / "warc"
    assert not list(warc_dir.glob("*.open")), "an .open file survived the next run"
    archived: dict[str, tuple[str, int]] = {}
    for path in sorted(warc_dir.glob("*.warc.gz")):
        assert subprocess.run(["gzip", "-t", str(path)]).returncode == 0, path
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
        for record in iter_records(path):
            if record.rec_type in ("response", "revisit"):
                archived[record.record_id] = (path.name, record.offset)
    db = sqlite_utils.Database(archive / "archive.db")
    captures = list(db["captures"].rows)
    ids = [row["warc_record_id"] for row in captures]
    assert len(ids) == len(set(ids)), "a record has two capture rows"
    for row in captures:  # every capture row points at a readable record
        record = record_at(warc_dir / row["warc_file"], row["warc_offset"])
        assert record.record_id == row["warc_record_id"]
    missing = set(archived) - set(ids)
    assert not missing, f"archived but not in the database: {missing}"
    article_urls = {row["url"] for row in db["articles"].rows}
    assert set(site.article_seeds(slow=slow)) <= article_urls, "a seed was never crawled"
    captured = {row["url"] for row in captures}
    assert set(site.seeds(slow=slow)) <= captured


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_killed_while_fetching(site, tmp_path):
    archive = tmp_path / "archive"
    site.block_slow = True
    process = _start(archive, site.seeds(slow=True))
    assert site.slow_arrived.wait(60), "the slow page was never requested"
    helpers = descendants(process.pid)  # the forkserver and the extraction workers
    assert helpers, "the crawl started no extraction worker"
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Nothing of the killed crawl lives on: its workers would wait on their queues for ever.
    deadline = time.monotonic() + 20
    while any(map(_alive, helpers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if _alive(pid)], "workers outlived the killed crawl"
    site.block_slow = False
    site.release_slow.set()
    _assert_consistent(archive, site, slow=True)


@pytest.mark.parametrize("point", ["archive:after-warc:1", "archive:after-warc:5",
                                   "db:store-article:1", "db:store-article:4"])
def test_killed_at_a_crash_point(site, tmp_path, point):
    archive = tmp_path / "archive"
    process = _start(archive, site.seeds(), SEEDCRAWLER_CRASH_AT=point)
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()[-3000:]
    assert list((archive / "warc").glob("*.open")), "the killed run left no open WARC"
    _assert_consistent(archive, site)


def test_killed_while_writing_a_record(site, tmp_path):
    """SIGKILL between two parts of one large record's write: the record is cut."""
    archive = tmp_path / "archive"
    process = _start(archive, site.seeds(), SEEDCRAWLER_CRASH_AT="warc:mid-write:1")
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()[-3000:]
    open_files = list((archive / "warc").glob("*.open"))
    assert any(complete_length(path) < os.path.getsize(path) for path in open_files), \
        "the kill cut no record"
    _assert_consistent(archive, site)
