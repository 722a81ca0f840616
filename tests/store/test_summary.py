"""The run summary and the exit status: what became of each seed, always printed."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

from crawler.logs import log_always, quiet_scrapy_logs
from crawler.store.outcomes import (
    EXIT_NONE_FETCHED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_STOPPED,
    SeedCounts,
    SeedLedger,
    exit_status,
)
from crawler.store.summary import format_summary


def test_ledger_outcomes_and_their_precedence():
    ledger = SeedLedger()
    for url in ("a", "b", "c", "d", "e"):
        ledger.add(url)
    ledger.responded("a")
    ledger.failed("b", "HTTP 404 Not Found")
    ledger.responded("c")
    ledger.failed("c", "blocked visitor_system")  # a wall after the answer: failed
    ledger.failed("d", "blocked no_data")
    ledger.stored("d")  # kept with its truncated text: fetched
    ledger.failed("d", "later failure")  # an article stored stays fetched
    ledger.failed("not-a-seed", "ignored")
    assert ledger.counts() == SeedCounts(total=5, fetched=2, failed=2, not_tried=1)
    assert ledger.failures() == [("b", "HTTP 404 Not Found"), ("c", "blocked visitor_system")]
    ledger.give_up_pending("no answer")
    assert ledger.counts().failed == 3 and ledger.counts().not_tried == 0


def test_exit_status():
    assert exit_status(SeedCounts(3, 3, 0, 0), "finished") == EXIT_OK
    assert exit_status(SeedCounts(3, 2, 1, 0), "finished") == EXIT_SOME_FAILED
    assert exit_status(SeedCounts(3, 3, 0, 0, invalid=1), "finished") == EXIT_SOME_FAILED
    assert exit_status(SeedCounts(3, 0, 3, 0), "finished") == EXIT_NONE_FETCHED
    assert exit_status(SeedCounts(0, 0, 0, 0), "finished") == EXIT_NONE_FETCHED
    assert exit_status(SeedCounts(80, 20, 0, 60), "shutdown") == EXIT_STOPPED
    assert exit_status(SeedCounts(80, 20, 0, 60), "closespider_timeout") == EXIT_STOPPED


def test_summary_after_ctrl_c_counts_what_was_done():
    stats = {"seeds/count": 80, "downloader/request_count": 37, "stop/dropped_requests": 16,
             "downloader/response_status_count/200": 21, "articles/new": 20,
             "response_received_count": 21, "archive/captures": 21}
    text = format_summary(stats, "shutdown", Path("a.db"), [], seeds=SeedCounts(80, 20, 0, 60),
                          seconds=8.0, status=EXIT_STOPPED)
    assert "=== seedcrawler run stopped (shutdown) ===" in text
    assert "seeds        20 attempted: 20 fetched, 0 failed; 60 of 80 not tried" in text
    assert "80 fetched" not in text and "80 crawled" not in text
    assert "requests     21 (0 retries)" in text  # the 16 dropped unsent are not counted
    assert "time         8.0 s (2.6 pages/s)" in text
    assert "exit status  5 (stopped before the end)" in text


def test_summary_of_a_run_where_everything_was_not_modified():
    stats = {"articles/unchanged": 5, "archive/revisits": 6, "pages/not_modified": 6,
             "downloader/response_status_count/304": 6}
    text = format_summary(stats, "finished", Path("a.db"), [], seeds=SeedCounts(6, 6, 0, 0))
    assert "articles     0 new, 0 changed, 5 unchanged" in text
    assert "revisits     6 (6 not modified)" in text


def test_failures_and_bad_lines_are_listed_ten_at_most():
    failures = [(f"https://example.com/{i}", "HTTP 404 Not Found") for i in range(12)]
    text = format_summary({}, "finished", Path("a.db"), [], seed_errors=["s.txt:3: bad"],
                          seeds=SeedCounts(12, 0, 12, 0), failures=failures)
    assert text.count("HTTP 404 Not Found") == 10 and "... and 2 more" in text
    assert "bad seed     s.txt:3: bad" in text


def test_log_always_passes_a_handler_set_to_warning():
    stream_records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            stream_records.append(record)

    logger = logging.getLogger("tests.summary.always")
    handler = Keep(level=logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.info("hidden")
        log_always(logger, "%s", "the summary")
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in stream_records] == ["the summary"]


def test_scrapy_start_up_dump_is_debug():
    quiet_scrapy_logs()
    quiet_scrapy_logs()  # idempotent
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    logger = logging.getLogger("scrapy.middleware")
    handler = Keep(level=logging.INFO)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("Enabled %(componentname)ss:\n%(enabledlist)s",
                    {"componentname": "extension", "enabledlist": "[]"})
        logger.info("Something else")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert [r.getMessage() for r in seen] == ["Something else"]


def test_all_failing_crawl_exits_4_with_a_summary_under_warning(crawl, tmp_path):
    with socket.socket() as sock:  # a port nothing listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    urls = [f"http://127.0.0.1:{port}/a", f"http://127.0.0.1:{port}/b"]
    run = crawl(tmp_path / "archive", urls=urls, settings={"LOG_LEVEL": "WARNING"})
    assert run.process.returncode == EXIT_NONE_FETCHED, run.log[-3000:]
    err = run.process.stderr
    assert "Traceback" not in err and "Gave up retrying" not in err
    assert "=== seedcrawler run finished (finished) ===" in err
    assert "seeds        2 attempted: 0 fetched, 2 failed" in err
    assert "exit status  4 (no seed fetched)" in err
    # one line per failed seed, with its reason; the summary names them again
    for url in urls:
        lines = [line for line in err.splitlines() if url in line and "WARNING" in line]
        assert len(lines) == 1 and "connection refused" in lines[0], lines
        assert f"failed       {url}: connection refused (127.0.0.1:{port})" in err
    # Scrapy's start-up dump is DEBUG now: nothing of it under WARNING or INFO
    assert "Overridden settings" not in err and "Enabled extensions" not in err
