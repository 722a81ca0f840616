"""The browser dies mid-crawl, and a page hangs it: the crawl goes on and finishes.

Three shells, one page at a time in the browser (``RENDER_PAGES=1``), rendered in this
order by the site's gates (``tests.render_site.GatedServer``): ``slow.html`` (its XHR is
held until the test kills the browser with SIGKILL), ``after.html`` (served only once that
XHR arrived: rendered by a new browser) and ``hang.html`` (whose script never ends: given
up after its time, the browser restarted).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import sqlite_utils

from tests.crawling import REPO, crawl_command, crawl_env
from tests.process_probe import descendants
from tests.render_site import STORY, start_render_site


def browser_pid(crawl_pid: int) -> int | None:
    """The Chromium browser process the crawl started (not one of its helpers)."""
    for pid in descendants(crawl_pid):
        try:
            arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if os.path.basename(arguments[0]) == b"chromium" and not any(
                a.startswith(b"--type=") for a in arguments):
            return pid
    return None


def test_a_killed_browser_and_a_hung_page_leave_the_crawl_going(tmp_path):
    site = start_render_site()
    archive = tmp_path / "archive"
    urls = [site.url(p) for p in ("/app/slow.html", "/app/after.html", "/app/hang.html")]
    command = crawl_command(archive, urls=urls, settings={
        "RENDER_PAGES": "1", "RENDER_TIMEOUT": "6", "RENDER_WAIT": "2"})
    process = subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert site.slow_asked.wait(120), "the browser never asked for the slow XHR"
        pid = None
        deadline = time.monotonic() + 30
        while pid is None and time.monotonic() < deadline:
            pid = browser_pid(process.pid)
            time.sleep(0.1)
        assert pid is not None, "no browser process under the crawl"
        os.kill(pid, signal.SIGKILL)
        output, _ = process.communicate(timeout=300)
    finally:
        site.release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
        site.stop()
    assert process.returncode == 0, output[-5000:]
    db = sqlite_utils.Database(archive / "archive.db")
    errors = {(row["url"], row["stage"]): row for row in db.query("select * from errors")}
    slow = errors[(urls[0], "render")]
    assert slow["error"] == "BrowserClosed"
    hang = errors[(urls[2], "render")]
    assert hang["error"] == "RenderTimeout"
    # The page after the crash was rendered by a new browser.
    after = db["articles"].get(urls[1])
    assert STORY[0] in after["text"]
    stats = json.loads(next(db.query("select stats from crawls"))["stats"])
    assert stats["render/browser_launches"] >= 2
    assert stats["render/errors"] == 2
    # The shells themselves are archived (their plain fetch), and so is what the killed
    # browser had completed before it died (the slow page's document).
    captured = {row["url"] for row in db.query("select url from captures")}
    assert set(urls) <= captured
