"""Three workers share one crawl through a real redis-server: each page fetched once, one
host's delay kept by the three together, one archive rebuilt from their WARC files, and a
second scheduled run of three workers sends conditional requests for everything."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest
import sqlite_utils

from crawler.warc.reader import iter_records
from crawler.warc.records import PROFILE_NOT_MODIFIED
from tests.scale.conftest import check_warc, replay, start_workers
from tests.scale.site import NewsSite, title_of

PAGES = 16
WORKERS = 3
HOST_DELAY = 0.4  # seconds between two requests to the site, for the three workers together

SETTINGS = {
    "FRONTIER_NAME": "shared-test",
    "FRONTIER_IDLE_TIMEOUT": "0",
    "FRONTIER_HOST_DELAY": str(HOST_DELAY),
    # Each worker takes at most two requests at a time, so all three share the work.
    "CONCURRENT_REQUESTS": "2",
    "EXTRACT_WORKERS": "1",
    # The first run's fingerprints expire soon after it ends, so the second is a new crawl.
    "FRONTIER_FINISHED_TTL": "2",
}


@pytest.fixture(scope="module")
def runs(redis_server, tmp_path_factory):
    """Two scheduled runs of three workers each, into one shared ARCHIVE_DIR."""
    workdir = tmp_path_factory.mktemp("shared")
    site = NewsSite(PAGES, requisites=True)
    seeds = workdir / "seeds.txt"
    seeds.write_text("\n".join(site.page_urls()) + "\n", encoding="utf-8")
    archive = workdir / "archive"
    try:
        first = start_workers(WORKERS, archive, seeds, redis_server.url, SETTINGS,
                              workdir / "logs-1")
        codes = first.wait()
        assert codes == [0] * WORKERS, [first.log(n)[-3000:] for n in range(WORKERS)]
        hits_first = site.hits[:]
        site.clear()
        time.sleep(2.5)
        # The second run needs no politeness test (no shared delay: done sooner); a worker
        # that starts after the others finished it joins it rather than crawl it again.
        second = start_workers(WORKERS, archive, seeds, redis_server.url,
                               {**SETTINGS, "FRONTIER_HOST_DELAY": "0",
                                "FRONTIER_FINISHED_TTL": "300"}, workdir / "logs-2")
        codes = second.wait()
        assert codes == [0] * WORKERS, [second.log(n)[-3000:] for n in range(WORKERS)]
        yield {"site": site, "archive": archive, "workdir": workdir, "first": first,
               "second": second, "hits_first": hits_first, "hits_second": site.hits[:],
               "redis": redis_server}
    finally:
        site.close()


def _page_counts(site: NewsSite, hits) -> dict[str, int]:
    counts = dict.fromkeys(site.pages, 0)
    for hit in hits:
        if hit.path in counts:
            counts[hit.path] += 1
    return counts


def test_every_page_is_fetched_exactly_once_by_one_of_the_workers(runs):
    counts = _page_counts(runs["site"], runs["hits_first"])
    assert set(counts.values()) == {1}, counts


def test_what_the_pages_embed_is_fetched_once_for_all_workers(runs):
    # Requests the spider yields beyond the seeds (page requisites: a stylesheet every page
    # shares, an image each) go through the shared frontier too.
    for hits in (runs["hits_first"], runs["hits_second"]):
        paths = [hit.path for hit in hits]
        counts = {path: paths.count(path) for path in runs["site"].requisites}
        assert set(counts.values()) == {1}, counts


def test_each_worker_writes_its_own_database_and_warc_files(runs):
    warcs = sorted((runs["archive"] / "warc").glob("*.warc.gz"))
    pids = {path.name.removesuffix(".warc.gz").rsplit("-", 1)[1] for path in warcs}
    assert len(pids) == len(warcs)  # one file per worker and run, named by its pid
    folders = sorted((runs["archive"] / "workers").iterdir())
    assert len(folders) == WORKERS, folders
    page_captures = []
    for folder in folders:
        assert (folder / "archive.db").is_file()
        db = sqlite_utils.Database(folder / "archive.db")
        page_captures.append(db.execute(
            "select count(*) from captures where url like '%/news/%' and crawl_id = 1"
        ).fetchone()[0])
    assert sum(page_captures) == PAGES
    # The work was shared (how it splits depends on who started first).
    assert sum(1 for n in page_captures if n) >= 2, page_captures


def test_three_workers_keep_one_delay_for_the_host(runs):
    # Every request the site saw (robots.txt and requisites included), in order of arrival.
    times = sorted(hit.at for hit in runs["hits_first"])
    assert len(times) == PAGES + len(runs["site"].requisites) + 1
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # Three workers, each on its own, would send three times as often.
    assert statistics.median(gaps) >= 0.8 * HOST_DELAY, gaps
    assert min(gaps) >= 0.4 * HOST_DELAY, gaps
    assert times[-1] - times[0] >= 0.9 * HOST_DELAY * (len(times) - 1), gaps


def test_robots_txt_is_fetched_once_per_crawl_for_all_workers(runs):
    for hits in (runs["hits_first"], runs["hits_second"]):
        assert [hit.path for hit in hits].count("/robots.txt") == 1
    shared = 0
    for folder in (runs["archive"] / "workers").iterdir():
        db = sqlite_utils.Database(folder / "archive.db")
        for row in db["crawls"].rows:
            shared += json.loads(row["stats"]).get("robotstxt/shared", 0)
    # The workers that did not fetch it read it from Redis.
    assert shared >= WORKERS - 1


def test_no_deprecation_warnings_reach_the_user(runs):
    # scrapy-redis 0.9.1's own scheduler logs ScrapyDeprecationWarning lines with Scrapy
    # 2.19 (stats with spider=, Spider.log); the leased scheduler calls neither.
    for workers in (runs["first"], runs["second"]):
        for n in range(WORKERS):
            log = workers.log(n)
            assert "Shared frontier" in log
            assert "DeprecationWarning" not in log, log[-3000:]


def test_replay_of_the_workers_folders_builds_the_combined_archive(runs):
    archive: Path = runs["archive"]
    combined = archive / "archive.db"
    done = replay([archive / "warc"], combined)
    assert done.returncode == 0, done.stdout + done.stderr
    db = sqlite_utils.Database(combined)
    titles = {row["title"] for row in db["articles"].rows}
    assert titles == {title_of(n) for n in range(PAGES)}
    warcs = sorted(archive.glob("warc/*.warc.gz"))
    # One file per worker and run (a worker that fetched nothing writes none).
    assert WORKERS <= len(warcs) <= 2 * WORKERS, warcs
    assert not list(archive.glob("warc/*.open"))
    for path in warcs:
        check_warc(path)


def test_second_run_across_workers_sends_conditional_requests_for_everything(runs):
    site = runs["site"]
    counts = _page_counts(site, runs["hits_second"])
    assert set(counts.values()) == {1}, counts
    pages = [hit for hit in runs["hits_second"] if hit.path in site.pages]
    # Whichever worker fetched a page the first time, the one that fetches it now knows
    # its ETag (from Redis).
    assert all(hit.if_none_match for hit in pages), [h.path for h in pages if not h.if_none_match]


def test_second_run_archives_revisits_naming_the_first_captures(runs):
    archive: Path = runs["archive"]
    records = [record for path in sorted(archive.glob("warc/*.warc.gz"))
               for record in iter_records(path)]
    responses = {r.record_id: r for r in records
                 if r.rec_type == "response" and "/news/" in (r.target_uri or "")}
    revisits = [r for r in records
                if r.rec_type == "revisit" and "/news/" in (r.target_uri or "")]
    assert len(responses) == PAGES and len(revisits) == PAGES
    for revisit in revisits:
        assert revisit.header("WARC-Profile") == PROFILE_NOT_MODIFIED
        original = responses[revisit.header("WARC-Refers-To")]
        assert original.target_uri == revisit.target_uri
        assert revisit.header("WARC-Refers-To-Date") == original.header("WARC-Date")


def test_worker_folders_are_reused_by_the_next_run(runs):
    # A worker takes the first free folder: three at a time need three folders, ever.
    folders = list((runs["archive"] / "workers").iterdir())
    assert len(folders) == WORKERS
    crawls = [row for folder in folders
              for row in sqlite_utils.Database(folder / "archive.db")["crawls"].rows]
    assert len(crawls) == 2 * WORKERS
    assert all(row["finish_reason"] == "finished" for row in crawls)


def test_a_finished_crawl_leaves_only_expiring_keys_and_the_capture_state(runs):
    client = runs["redis"].client()
    prefix = f"seedcrawler:{SETTINGS['FRONTIER_NAME']}:"
    keys = {key.decode() for key in client.keys(prefix + "*")}
    assert prefix + "captures" in keys
    assert not {prefix + name for name in ("requests", "leases", "leased", "workers")} & keys
    for key in keys - {prefix + "captures"}:
        assert 0 < client.pttl(key) <= 300_000, key  # the second run's, kept for late workers
    assert client.pttl(prefix + "captures") == -1
    urls = {key.decode() for key in client.hkeys(prefix + "captures")}
    assert set(runs["site"].page_urls()) <= urls
