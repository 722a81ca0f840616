"""The progress line and, on a terminal, the live bar."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import time
from types import SimpleNamespace

from crawler.store.outcomes import EXIT_OK, SeedLedger
from crawler.store.progress import Progress
from tests.crawling import REPO, crawl_command, crawl_env
from tests.pages_site import pages_site


class Stats:
    def __init__(self, values):
        self.values = values

    def get_value(self, key, default=None):
        return self.values.get(key, default)


def progress(done: int, failed: int, total: int, pages: int, bar: bool) -> Progress:
    ledger = SeedLedger()
    for i in range(total):
        ledger.add(str(i))
    for i in range(done):
        ledger.responded(str(i))
    for i in range(done, done + failed):
        ledger.failed(str(i), "HTTP 404 Not Found")
    crawler = SimpleNamespace(stats=Stats({"response_received_count": pages}))
    shown = Progress(crawler, 10.0, bar, ledger=ledger)  # type: ignore[arg-type]
    shown.started = time.monotonic() - 10.0  # ten seconds in
    return shown


def test_progress_line_has_the_total_the_rate_and_an_eta():
    line = progress(done=18, failed=2, total=80, pages=41, bar=False).line()
    match = re.fullmatch(r"20/80 seeds \(18 fetched, 2 failed\), 41 pages, ([\d.]+) pages/s, "
                         r"ETA 0:00:(\d\d)", line)
    assert match, line
    assert 4.0 <= float(match.group(1)) <= 4.2  # 41 pages in about ten seconds
    assert 29 <= int(match.group(2)) <= 31  # 60 seeds left at 2 a second


def test_bar_fills_with_the_seeds_done_and_fits_the_terminal():
    text = progress(done=40, failed=0, total=80, pages=40, bar=True).bar_text(200)
    assert text.startswith("[" + "#" * 10 + "." * 10 + "] 40/80 seeds  0 failed")
    assert len(progress(1, 0, 80, 1, True).bar_text(30)) == 29
    assert "ETA ?" in progress(0, 0, 5, 0, True).bar_text(200)  # nothing done yet


def test_a_terminal_gets_a_live_bar_instead_of_progress_lines(tmp_path):
    with pages_site() as site:
        seeds = tmp_path / "seeds.txt"
        seeds.write_text("\n".join(site.seed_urls(30)) + "\n")
        command = crawl_command(tmp_path / "archive", seeds, settings={
            "DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
            "PROGRESS_INTERVAL": "1"})
        leader, follower = pty.openpty()
        process = subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the crawl closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert process.wait(timeout=120) == EXIT_OK
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "Traceback" not in shown
    assert re.search(r"\r\x1b\[K\[[#.]{20}\] \d+/30 seeds  0 failed  \d+ pages", shown), \
        shown[-2000:]
    assert "Progress: " not in shown  # the bar replaces the lines
    assert "seeds        30 attempted: 30 fetched, 0 failed" in shown
