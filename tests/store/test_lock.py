import os
import subprocess
import sys
import time

import pytest

from crawler.store.lock import LOCK_NAME, ArchiveLocked, RunLock

HOLD = """
import sys, time
from crawler.store.lock import lock_archive
lock_archive(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def _holder(archive_dir):
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(archive_dir)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


def test_second_lock_fails_at_once_naming_the_holder(tmp_path):
    holder = _holder(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(ArchiveLocked, match=f"pid {holder.pid}"):
            RunLock(tmp_path).acquire()
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_run_is_taken_over(tmp_path, caplog):
    holder = _holder(tmp_path)
    holder.kill()  # SIGKILL: no clean release
    holder.wait()
    assert f"pid {holder.pid}" in (tmp_path / LOCK_NAME).read_text()
    lock = RunLock(tmp_path)
    lock.acquire()
    assert "did not finish cleanly" in caplog.text
    assert f"pid {os.getpid()}" in (tmp_path / LOCK_NAME).read_text()
    lock.release()
    assert (tmp_path / LOCK_NAME).read_text() == ""


def test_second_scrapy_crawl_exits_at_once_with_a_message(crawl, tmp_path):
    archive = tmp_path / "archive"
    holder = _holder(archive)
    try:
        started = time.monotonic()
        run = crawl(archive, urls=["http://127.0.0.1:9/never-fetched"])
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()
    assert run.process.returncode == 2
    assert "is in use by a running crawl" in run.process.stderr
    assert f"pid {holder.pid}" in run.process.stderr
    assert not (archive / "archive.db").exists()
