"""The full-text index of the archive: ``articles_fts`` over titles and texts, folded too.

``articles_fts`` is an FTS5 table with the trigram tokenizer (substrings of three or more
characters, any script) whose content is the ``articles`` table, kept in sync by triggers.
It indexes ``title`` and ``text`` (INTERFACE.md), then ``title_folded`` and ``text_folded``:
the same fields after :func:`crawler.text.fold.fold` (Traditional characters as Simplified,
full-width letters as ASCII), stored only where folding changes something: the folded title,
and of the text only the lines that change (the others left empty). A search folds its
query the same way, so 數據標注 and 数据标注 find each other.

Archives made before the folded columns existed are upgraded when they are opened for
writing (:func:`ensure_search_index`): the columns are added and filled, and the index is
rebuilt, in one transaction.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.text.fold import folded_lines, folded_or_none

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

logger = logging.getLogger(__name__)

FTS_TABLE = "articles_fts"
#: the indexed columns of ``articles``, in the index's column order
FTS_COLUMNS = ("title", "text", "title_folded", "text_folded")
#: folded copy -> the column it folds
FOLDED_COLUMNS = {"title_folded": "title", "text_folded": "text"}


def folded_columns(row: dict[str, Any]) -> dict[str, str | None]:
    """The folded copies of the title and text an article row has, as stored beside them:
    the folded title, and the folded lines of the text
    (:func:`crawler.text.fold.folded_lines`); None where folding changes nothing.

    :param row: an ``articles`` row, or part of one
    """
    folded = {}
    if "title" in row:
        folded["title_folded"] = folded_or_none(row["title"])
    if "text" in row:
        folded["text_folded"] = folded_lines(row["text"])
    return folded


def _quote(name: str) -> str:
    return "[" + name + "]"


def _fts_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    """The FTS table and its triggers, in sqlite-utils' shape (so its ``detect_fts`` and
    Datasette find the index), except that updates re-index only when an indexed column
    changes: a crawl that finds an article unchanged updates ``last_seen`` alone."""
    fts = f"{table}_fts"
    cols = ", ".join(map(_quote, columns))
    new = ", ".join(f"new.{_quote(c)}" for c in columns)
    old = ", ".join(f"old.{_quote(c)}" for c in columns)
    insert = f"INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new});"
    delete = (f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) "
              f"VALUES('delete', old.rowid, {old});")
    return [
        f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 (\n    {cols},\n"
        f"    tokenize='trigram',\n    content=[{table}]\n)",
        f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN\n  {insert}\nEND",
        f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN\n  {delete}\nEND",
        f"CREATE TRIGGER [{table}_au] AFTER UPDATE OF {cols} ON [{table}] BEGIN\n"
        f"  {delete}\n  {insert}\nEND",
        f"INSERT INTO [{fts}] ([{fts}]) VALUES ('rebuild')",
    ]


def index_columns(db: sqlite_utils.Database) -> tuple[str, ...]:
    """The columns ``articles_fts`` indexes; empty when there is no index."""
    if not db[FTS_TABLE].exists():
        return ()
    return tuple(db[FTS_TABLE].columns_dict)


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create ``articles_fts``, or upgrade an older one to the folded columns.

    The ``articles`` table must exist with its folded columns. An upgrade folds every
    article and rebuilds the index (once per archive; minutes for a very large one).
    """
    if index_columns(db) == FTS_COLUMNS:
        return
    conn: sqlite3.Connection = db.conn
    existing = db.execute("select count(*) from articles").fetchone()[0]
    upgrading = db[FTS_TABLE].exists()
    if upgrading:
        logger.warning("Adding Simplified/Traditional search to the %d articles of %s "
                       "(once; the full-text index is rebuilt)", existing,
                       db.execute("pragma database_list").fetchone()[2] or "the archive")
    with conn:  # one transaction: an interrupted upgrade leaves the old index as it was
        if not conn.in_transaction:
            conn.execute("begin")
        # Dropping the FTS table drops its shadow tables; the triggers are the articles'.
        conn.execute(f"drop table if exists [{FTS_TABLE}]")
        for suffix in ("ai", "ad", "au"):
            conn.execute(f"drop trigger if exists [articles_{suffix}]")
        if existing:
            fill_folded(conn)
        for statement in _fts_sql("articles", FTS_COLUMNS):
            conn.execute(statement)


def fill_folded(conn: sqlite3.Connection, batch: int = 500) -> int:
    """Compute the folded columns of every article; the number of rows that got one."""
    changed = 0
    last = 0
    while True:
        rows = conn.execute("select rowid, title, text from articles where rowid > ? "
                            "order by rowid limit ?", [last, batch]).fetchall()
        if not rows:
            return changed
        updates = []
        for rowid, title, text in rows:
            folded = folded_columns({"title": title, "text": text})
            updates.append((folded["title_folded"], folded["text_folded"], rowid))
            changed += any(value is not None for value in folded.values())
        conn.executemany("update articles set title_folded = ?, text_folded = ? "
                         "where rowid = ?", updates)
        last = rows[-1][0]
