"""Ctrl-C at 20 of 80 pages: fetching stops at once, the archive closes cleanly and the
summary says what was and was not fetched (README "Stopping a run")."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils

from crawler.store.outcomes import EXIT_STOPPED
from tests.crawling import REPO, crawl_command, crawl_env
from tests.pages_site import pages_site

PAGES = 80
STOP_AFTER = 20


@pytest.fixture
def site():
    with pages_site() as server:
        yield server


def test_ctrl_c_stops_fetching_at_once_and_closes_the_archive(site, tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("\n".join(site.seed_urls(PAGES)) + "\n")
    archive = tmp_path / "archive"
    # One request at a time with a delay: Scrapy queues up to 16 requests in the
    # downloader, which a graceful stop used to send one by one after Ctrl-C.
    command = crawl_command(archive, seeds, settings={
        "DOWNLOAD_DELAY": "0.3", "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "PROGRESS_INTERVAL": "1"})
    process = subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        while site.pages < STOP_AFTER and process.poll() is None:
            time.sleep(0.02)
        at_signal = site.pages
        # Ctrl-C on a terminal: SIGINT to the whole process group, extraction workers too
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    after = site.pages
    assert process.returncode == EXIT_STOPPED, err[-4000:]
    assert "Traceback" not in err, err[-4000:]
    # no new request after the signal, but the one that may have been on the wire
    assert after - at_signal <= 2, (at_signal, after)

    assert "=== seedcrawler run stopped (shutdown) ===" in err
    match = re.search(r"seeds\s+(\d+) attempted: (\d+) fetched, (\d+) failed; (\d+) of (\d+) "
                      r"not tried", err)
    assert match, err[-3000:]
    attempted, fetched, failed, not_tried, total = map(int, match.groups())
    assert total == PAGES and failed == 0 and attempted == fetched
    assert STOP_AFTER - 1 <= fetched <= after
    assert fetched + not_tried == PAGES
    assert "exit status  5 (stopped before the end)" in err
    # the progress line: done/total seeds, pages/s and ETA
    assert re.search(r"Progress: \d+/80 seeds \(\d+ fetched, 0 failed\), \d+ pages, "
                     r"[\d.]+ pages/s, ETA \d+:\d\d:\d\d", err), err[-3000:]

    warcs = sorted((archive / "warc").glob("*.warc.gz"))
    assert warcs and not list((archive / "warc").glob("*.open"))
    for path in warcs:
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    db = sqlite_utils.Database(archive / "archive.db")
    (crawl,) = db["crawls"].rows
    assert crawl["finished_at"] and crawl["finish_reason"] == "shutdown"
    stats = json.loads(crawl["stats"])
    assert stats["seeds/fetched"] == fetched and stats["seeds/not_tried"] == not_tried
    assert stats["seedcrawler/exit_status"] == EXIT_STOPPED
    # every page fetched got its capture and its article: nothing half done
    assert db["articles"].count == fetched
    assert db.execute("select count(*) from captures where url like '%/p/%'").fetchone()[0] \
        == fetched
