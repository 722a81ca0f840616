"""The full-text indexes stay level with ``articles`` when a crawl batches its writes
(``ARCHIVE_COMMIT_INTERVAL``) and indexes its articles itself before each commit: after a
crawl, and after a crawl killed between storing articles and indexing them, every stored
article is found by the table's ``?_search=`` and by the ``search`` query."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path
from urllib.parse import quote

from crawler.browse import app as browse
from crawler.browse.app import open_archive
from crawler.store.search_index import INDEXES
from tests.store.test_crash import _assert_consistent, _start, site  # noqa: F401 - fixture


def _assert_every_article_is_found(db_path: Path, server) -> None:
    with sqlite3.connect(db_path) as conn:
        for fts in INDEXES:  # raises if an index and the articles differ in any row
            conn.execute(f"insert into [{fts}]([{fts}], rank) values ('integrity-check', 1)")
        stored = {url for (url,) in conn.execute("select url from articles")}
    assert set(server.article_seeds()) <= stored
    ds = open_archive(db_path)
    # every test page's title says "Article <n>"
    status, body = browse.get(ds, "/archive/articles.json?_search=Article&_shape=objects"
                                  "&_size=max")
    assert status == 200, body[:2000]
    assert {row["url"] for row in json.loads(body)["rows"]} == stored
    status, body = browse.get(ds, f"/archive/search.json?q={quote('Article')}&_shape=objects")
    assert status == 200, body[:2000]
    assert {row["url"] for row in json.loads(body)["rows"]} == stored


def test_killed_between_storing_articles_and_indexing_them(site, tmp_path):  # noqa: F811
    archive = tmp_path / "archive"
    process = _start(archive, site.seeds(), SEEDCRAWLER_CRASH_AT="db:before-fts-index:1")
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()[-3000:]
    _assert_consistent(archive, site)  # the next run recovers and crawls again
    _assert_every_article_is_found(archive / "archive.db", site)


def test_a_batched_crawl_indexes_every_article(site, tmp_path):  # noqa: F811
    archive = tmp_path / "archive"
    _assert_consistent(archive, site)  # one crawl, to its end
    _assert_every_article_is_found(archive / "archive.db", site)
    # and a second one, which finds every article unchanged (last_seen only)
    _assert_consistent(archive, site)
    _assert_every_article_is_found(archive / "archive.db", site)
