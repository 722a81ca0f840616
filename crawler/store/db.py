"""The SQLite archive: schema, full-text index and the writes a crawl makes.

Tables (INTERFACE.md): ``captures`` (one row per archived HTTP exchange), ``articles`` (one
row per article, keyed by canonical URL), ``articles_fts`` (FTS5, trigram tokenizer, kept in
sync by triggers, over titles and texts and their folded copies: see ``search_index``),
``article_versions`` (every distinct text an article has had), ``crawls`` (one row per run)
and ``errors`` (every recorded failure). Columns added by newer versions are added to older
databases when they are opened.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.faults import crash_point
from crawler.store.search_index import (
    BATCH_TABLE,
    FOLDED_COLUMNS,
    FTS_COLUMNS,
    ensure_search_index,
    folded_columns,
    reindex,
)


def _import_sqlite_utils():  # noqa: ANN202 - the module
    """sqlite-utils, imported without numpy and pandas.

    It imports both at import time when they are installed, only to map their scalar types
    to column types, and this archive stores none. numpy is installed (py3langid needs it),
    so every crawl's main process paid 0.2 s and 20 MB for it (issue 10). They are hidden
    while it loads, unless something imported them already.
    """
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

CAPTURE_COLUMNS = {
    "id": int,
    "crawl_id": int,
    "url": str,
    "method": str,
    "status": int,
    "content_type": str,
    "content_length": int,
    "fetched_at": str,
    "ip_address": str,
    "location": str,
    "etag": str,
    "last_modified": str,
    "warc_file": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "warc_request_record_id": str,
    "warc_date": str,  # WARC-Date of the record, exactly (revisits refer to it)
    "payload_digest": str,
    "record_type": str,  # response | revisit
    "revisit_profile": str,
    "refers_to_record_id": str,  # for revisits: the response record holding the payload
    "hops": str,  # hopsFromSeed of its metadata record: L per link, E per embed, R per redirect
    "via": str,  # the page that links to it or embeds it, or the redirect before it
    "truncated": str,  # WARC-Truncated: length | time | disconnect (a partial body)
}

ARTICLE_COLUMNS = {
    "url": str,
    "final_url": str,
    "title": str,
    "author": str,
    "published": str,
    "sitename": str,
    "language": str,
    "text": str,
    "description": str,
    "tags": str,  # JSON list
    "image": str,
    "encoding": str,
    "capture_id": int,
    "crawl_id": int,
    "fetched_at": str,
    "extra": str,  # JSON object: site-specific fields
    "text_hash": str,  # sha1 of text: a changed hash adds an article_versions row
    "last_seen": str,  # when a crawl last found this article (changed or not)
    # title and text folded for search (crawler.store.search_index), where that changes them
    "title_folded": str,
    "text_folded": str,
}

VERSION_COLUMNS = {
    "id": int,
    "url": str,
    "version": int,
    "capture_id": int,
    "crawl_id": int,
    "fetched_at": str,
    "text_hash": str,
    "title": str,
    "text": str,
    "chars_added": int,
    "chars_removed": int,
    "diff_summary": str,
}

CRAWL_COLUMNS = {
    "id": int,
    "started_at": str,
    "finished_at": str,
    "finish_reason": str,
    "seed_source": str,
    "seeds": int,
    "requests": int,
    "responses": int,
    "captures": int,
    "articles": int,
    "errors": int,
    "bytes_written": int,
    "articles_new": int,
    "articles_changed": int,
    "articles_unchanged": int,
    "revisits": int,
    "blocked": int,
    "responses_by_status": str,  # JSON object: status -> count
    "stats": str,  # JSON object: the Scrapy stats of the run
}

ERROR_COLUMNS = {
    "id": int,
    "crawl_id": int,
    "url": str,
    "stage": str,  # seed | fetch | feed | blocked | deleted | extract | store | archive | replay
    "error": str,
    "detail": str,
    "at": str,
}


def utcnow() -> str:
    """Now, as ISO 8601 in UTC with seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArchiveDB:
    """The SQLite archive of one ``ARCHIVE_DIR``.

    Without ``commit_interval`` every write is its own transaction. With it, writes gather
    in one transaction committed by :meth:`commit` (or :meth:`commit_if_due`, once the
    transaction is that many seconds old), and the full-text indexes are updated in one
    statement each just before the commit, in the same transaction
    (``search_index.reindex``). A crawl batches this way: its WARC records are on disk
    before the rows that point at them, and a crash loses only uncommitted rows, which the
    next run rebuilds from those records (crash recovery replays the ``.open`` WARC files).

    :param path: the database file (created with its schema when missing)
    :param commit_interval: seconds a batch of writes may stay uncommitted (None: none)
    """

    def __init__(self, path: str | Path, commit_interval: float | None = None) -> None:
        self.path = Path(path)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(self.db)
        self.conn: sqlite3.Connection = self.db.conn
        self.commit_interval = commit_interval
        self._batch_started: float | None = None  # monotonic time of the open batch
        # articles of the batch to take out of the indexes (rowid, values as indexed), and
        # to index (rowids)
        self._unindex: list[tuple[int, tuple[Any, ...]]] = []
        self._unindexed: list[int] = []
        self._insert_sql: dict[tuple[str, str], str] = {}

    def close(self) -> None:
        self.commit()
        self.db.close()

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write: atomic on its own (a savepoint within a batch), committed at once
        unless writes are batched."""
        conn = self.conn
        if self.commit_interval is None:
            with conn:
                yield conn
            return
        if self._batch_started is None:
            if not conn.in_transaction:
                conn.execute("BEGIN")
            # the triggers of the full-text indexes stand aside until the commit
            conn.execute(f"INSERT INTO [{BATCH_TABLE}] VALUES (1)")
            self._batch_started = time.monotonic()
        conn.execute("SAVEPOINT write")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO write")
            conn.execute("RELEASE write")
            raise
        conn.execute("RELEASE write")

    def commit(self) -> None:
        """Commit the writes of the open batch, their articles indexed first."""
        if self._batch_started is None:
            return
        conn = self.conn
        if self._unindexed:
            crash_point("db:before-fts-index")  # articles written, not yet indexed
        reindex(conn, self._unindex, self._unindexed)
        conn.execute(f"DELETE FROM [{BATCH_TABLE}]")
        conn.commit()
        self._unindex, self._unindexed = [], []
        self._batch_started = None

    def commit_if_due(self) -> None:
        """Commit the open batch if it is ``commit_interval`` seconds old."""
        if self._batch_started is not None and \
                time.monotonic() - self._batch_started >= (self.commit_interval or 0):
            self.commit()

    def _insert(self, conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
        """A plain INSERT of ``row``: its rowid. (sqlite-utils' ``insert`` looks the table
        up on every call, and commits.)"""
        names = tuple(row)
        key = (table, ",".join(names))
        sql = self._insert_sql.get(key)
        if sql is None:
            sql = self._insert_sql[key] = (
                f"insert into [{table}] ({', '.join(map(_quote, names))}) "
                f"values ({', '.join('?' * len(names))})")
        return int(conn.execute(sql, tuple(row.values())).lastrowid)

    # --- writes -------------------------------------------------------------------------

    def start_crawl(self, seed_source: str, seeds: int) -> int:
        with self._write() as conn:
            crawl_id = self._insert(conn, "crawls", {"started_at": utcnow(),
                                                     "seed_source": seed_source,
                                                     "seeds": seeds})
        self.commit()  # the run is visible at once
        return crawl_id

    def finish_crawl(self, crawl_id: int, reason: str, counts: dict[str, int],
                     stats: dict[str, Any]) -> None:
        row = {"finished_at": utcnow(), "finish_reason": reason, **counts,
               "stats": json.dumps(stats, default=str, sort_keys=True)}
        with self._write() as conn:
            assignments = ", ".join(f"{_quote(name)} = ?" for name in row)
            conn.execute(f"update crawls set {assignments} where id = ?",
                         [*row.values(), crawl_id])
        self.commit()

    def add_capture(self, row: dict[str, Any]) -> int:
        with self._write() as conn:
            return self._insert(conn, "captures", row)

    def upsert_capture(self, row: dict[str, Any]) -> int:
        """Add a capture, or update the one with the same ``warc_record_id`` (a replay of a
        record already in the database): its id."""
        with self._write() as conn:
            found = conn.execute("select id from captures where warc_record_id = ?",
                                 [row["warc_record_id"]]).fetchone()
            if found is None:
                return self._insert(conn, "captures", row)
            assignments = ", ".join(f"{_quote(name)} = ?" for name in row)
            conn.execute(f"update captures set {assignments} where id = ?",
                         [*row.values(), found[0]])
        return int(found[0])

    def store_article(self, row: dict[str, Any]) -> str:
        """Store an extracted article; keep a version when its text is new or changed.

        Plain INSERT or UPDATE, not an upsert: the full-text triggers then index the text
        once (an upsert is an insert plus an update: three trips through the trigram index).
        The folded copies of title and text are computed unless the row has them.

        :return: ``"new"``, ``"changed"`` or ``"unchanged"``
        """
        row = article_row(row)
        text = row.get("text") or ""
        text_hash = hashlib.sha1(text.encode("utf-8")).hexdigest()
        now = row.get("fetched_at") or utcnow()
        folded = {} if all(name in row for name in FOLDED_COLUMNS) else folded_columns(row)
        batched = self.commit_interval is not None
        with self._write() as conn:
            current = conn.execute(
                "select text_hash, text, rowid, " + ", ".join(map(_quote, FTS_COLUMNS))
                + " from articles where url = ?", [row["url"]]
            ).fetchone()
            if current is not None and current[0] == text_hash:
                conn.execute("update articles set last_seen = ?, crawl_id = ? where url = ?",
                             [now, row.get("crawl_id"), row["url"]])
                return "unchanged"
            row = {**row, **folded, "text_hash": text_hash, "last_seen": now}
            names = list(row)
            if current is None:
                rowid = self._insert(conn, "articles", row)
            else:
                rowid = current[2]
                assignments = ", ".join(f"{_quote(name)} = ?" for name in names if name != "url")
                conn.execute(f"update articles set {assignments} where url = ?",
                             [row[name] for name in names if name != "url"] + [row["url"]])
            crash_point("db:store-article")
            added, removed = diff_size(current[1] if current else "", text)
            version = 1 + conn.execute(
                "select count(*) from article_versions where url = ?", [row["url"]]
            ).fetchone()[0]
            version_row = {
                "url": row["url"],
                "version": version,
                "capture_id": row.get("capture_id"),
                "crawl_id": row.get("crawl_id"),
                "fetched_at": now,
                "text_hash": text_hash,
                "title": row.get("title"),
                "text": text,
                "chars_added": added,
                "chars_removed": removed,
                "diff_summary": "first version" if current is None
                else f"+{added} / -{removed} characters",
            }
            self._insert(conn, "article_versions", version_row)
            if batched and rowid not in self._unindexed:
                # (once the write is sure to stand: a failed one is rolled back whole)
                if current is not None:
                    self._unindex.append((rowid, tuple(current[3:])))
                self._unindexed.append(rowid)
        return "new" if current is None else "changed"

    def touch_article(self, url: str, final_url: str, crawl_id: int | None) -> bool:
        """Mark an article as seen again, unchanged; False when there is no such article.

        :param url: the article key the seed gives
        :param final_url: the URL that answered (adapters may key articles by page content)
        """
        with self._write() as conn:
            cursor = conn.execute(
                "update articles set last_seen = ?, crawl_id = ? where url = ? or final_url = ?",
                [utcnow(), crawl_id, url, final_url])
        return cursor.rowcount > 0

    def last_capture(self, url: str) -> dict[str, Any] | None:
        """The latest full (non-revisit) 200 capture of ``url``: validators and digest."""
        cursor = self.conn.execute(
            "select id, url, etag, last_modified, payload_digest, warc_record_id, warc_date "
            "from captures where url = ? and status = 200 and record_type = 'response' "
            "and truncated is null "
            "order by id desc limit 1", [url])
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip((column[0] for column in cursor.description), found, strict=True))

    def add_error(self, crawl_id: int | None, url: str, stage: str, error: str,
                  detail: str = "") -> None:
        row = {"crawl_id": crawl_id, "url": url, "stage": stage, "error": error,
               "detail": detail, "at": utcnow()}
        with self._write() as conn:
            self._insert(conn, "errors", row)

    def checkpoint(self) -> None:
        self.commit()
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def article_row(article: dict[str, Any]) -> dict[str, Any]:
    """An article dict as an ``articles`` row: fields outside the schema go into ``extra``
    (so a site adapter's new field never needs a schema change), lists and dicts as JSON."""
    row = {key: value for key, value in article.items() if key in ARTICLE_COLUMNS}
    unknown = {key: value for key, value in article.items() if key not in ARTICLE_COLUMNS}
    if unknown:
        extra = row.get("extra")
        extra = json.loads(extra) if isinstance(extra, str) else dict(extra or {})
        row["extra"] = {**extra, **unknown}
    return _json_columns(row)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _json_columns(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for key in ("tags", "extra"):
        if key in row and not isinstance(row[key], str | None):
            row[key] = json.dumps(row[key], ensure_ascii=False)
    return row


def diff_size(old: str, new: str) -> tuple[int, int]:
    """Characters added and removed between two texts, compared line by line."""
    if not old or not new:  # a first version (or an emptied text): no lines to match
        return sum(map(len, new.splitlines())), sum(map(len, old.splitlines()))
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += sum(len(line) for line in matcher.a[i1:i2])
        if tag in ("replace", "insert"):
            added += sum(len(line) for line in matcher.b[j1:j2])
    return added, removed


def _add_missing_columns(table: sqlite_utils.db.Table, columns: dict[str, type]) -> None:
    existing = table.columns_dict
    for name, kind in columns.items():
        if name not in existing:
            table.add_column(name, kind)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, indexes and full-text index that are missing."""
    captures = db["captures"]
    if not captures.exists():
        captures.create(CAPTURE_COLUMNS, pk="id")
        captures.create_index(["url"])
        captures.create_index(["warc_record_id"], unique=True)
        captures.create_index(["payload_digest"])
    _add_missing_columns(captures, CAPTURE_COLUMNS)
    articles = db["articles"]
    if not articles.exists():
        articles.create(
            ARTICLE_COLUMNS, pk="url", foreign_keys=[("capture_id", "captures", "id")]
        )
        articles.create_index(["published"])
        articles.create_index(["sitename"])
    _add_missing_columns(articles, ARTICLE_COLUMNS)
    ensure_search_index(db)
    if not db["crawls"].exists():
        db["crawls"].create(CRAWL_COLUMNS, pk="id")
    _add_missing_columns(db["crawls"], CRAWL_COLUMNS)
    if not db["article_versions"].exists():
        db["article_versions"].create(
            VERSION_COLUMNS, pk="id", foreign_keys=[("capture_id", "captures", "id")]
        )
        db["article_versions"].create_index(["url", "version"], unique=True)
    if not db["errors"].exists():
        db["errors"].create(ERROR_COLUMNS, pk="id")
        db["errors"].create_index(["url"])
