"""The full-text indexes of the archive: ``articles_fts`` (substrings) and ``articles_words``
(whole words), over titles and texts, folded too.

``articles_fts`` is an FTS5 table with the trigram tokenizer (substrings of three or more
characters, any script) whose content is the ``articles`` table, kept in sync by triggers.
It indexes ``title`` and ``text`` (INTERFACE.md), then ``title_folded`` and ``text_folded``:
the same fields after :func:`crawler.text.fold.fold` (Traditional characters as Simplified,
full-width letters as ASCII), stored only where folding changes something: the folded title,
and of the text only the lines that change (the others left empty). A search folds its
query the same way, so 數據標注 and 数据标注 find each other.

``articles_words`` indexes the same four columns with the unicode61 tokenizer, letters and
digits only (Chinese characters separate words there): searches look up Latin words of one
or two letters in it as whole words, which a trigram index cannot match.

Archives made before these existed are upgraded when they are opened for writing
(:func:`ensure_search_index`): the columns are added and filled and the indexes built, in one
transaction.

The triggers stand aside inside a transaction that holds a row in ``articles_fts_batch`` (a
table no other connection ever sees a row in: the row is added and removed within that
transaction). A crawl's batched writes (``ArchiveDB(commit_interval=...)``) hold one, and
index their articles themselves before the commit, in one statement per index
(:func:`reindex`): FTS5 flushes its pending terms at every statement that fires a
trigger, so an index kept by triggers costs about three times as much per article as the
same rows indexed together (about 1.6 against 0.5 ms per article of 1,800 characters, in
the trigram index alone). The index and its articles still commit together.
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
WORDS_TABLE = "articles_words"
#: Characters that separate words in ``articles_words`` besides spaces and punctuation: the
#: CJK Unified Ideographs and the kana (unicode61 counts them as letters, and would make
#: "推动AI发展" one word). Rarer ideographs (extensions A and beyond) are left out: the list
#: is parsed each time a connection first opens the index (a tenth of a second for this one).
WORD_SEPARATORS = "".join(chr(c) for first, last in [(0x3040, 0x30FF), (0x4E00, 0x9FFF)]
                          for c in range(first, last + 1))
#: the indexed columns of ``articles``, in the index's column order
FTS_COLUMNS = ("title", "text", "title_folded", "text_folded")
#: folded copy -> the column it folds
FOLDED_COLUMNS = {"title_folded": "title", "text_folded": "text"}
#: the indexes over ``articles`` that triggers keep, and the prefix of their triggers' names
INDEXES = {FTS_TABLE: "articles", WORDS_TABLE: WORDS_TABLE}
#: a transaction holding a row here indexes its articles itself (see the module docstring)
BATCH_TABLE = "articles_fts_batch"
_GATE = f"WHEN NOT EXISTS (SELECT 1 FROM [{BATCH_TABLE}])"


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


def _fts_sql(fts: str, tokenize: str, content: str, trigger_prefix: str) -> list[str]:
    """An FTS5 table over ``articles`` (:data:`FTS_COLUMNS`) and the triggers keeping it in
    sync. Updates re-index only when an indexed column changes: a crawl that finds an
    article unchanged updates ``last_seen`` alone."""
    cols = ", ".join(map(_quote, FTS_COLUMNS))
    return [
        f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 (\n    {cols},\n"
        f"    tokenize={tokenize},\n    content={content}\n)",
        *_trigger_sql(fts, trigger_prefix),
        f"INSERT INTO [{fts}] ([{fts}]) VALUES ('rebuild')",
    ]


def _trigger_sql(fts: str, trigger_prefix: str) -> list[str]:
    cols = ", ".join(map(_quote, FTS_COLUMNS))
    new = ", ".join(f"new.{_quote(c)}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{_quote(c)}" for c in FTS_COLUMNS)
    insert = f"INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new});"
    delete = (f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) "
              f"VALUES('delete', old.rowid, {old});")
    return [
        f"CREATE TRIGGER [{trigger_prefix}_ai] AFTER INSERT ON [articles] {_GATE} BEGIN\n"
        f"  {insert}\nEND",
        f"CREATE TRIGGER [{trigger_prefix}_ad] AFTER DELETE ON [articles] {_GATE} BEGIN\n"
        f"  {delete}\nEND",
        f"CREATE TRIGGER [{trigger_prefix}_au] AFTER UPDATE OF {cols} ON [articles] {_GATE} "
        f"BEGIN\n  {delete}\n  {insert}\nEND",
    ]


def _gate_triggers(db: sqlite_utils.Database) -> None:
    """Give the triggers of an archive made before :data:`BATCH_TABLE` their gate."""
    conn: sqlite3.Connection = db.conn
    names = [f"{prefix}_ai" for prefix in INDEXES.values()]
    ungated = [name for name, sql in conn.execute(
        f"select name, sql from sqlite_master where type = 'trigger' and name in "
        f"({', '.join('?' * len(names))})", names) if BATCH_TABLE not in sql]
    if db[BATCH_TABLE].exists() and not ungated:
        return
    with conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS [{BATCH_TABLE}] (active INTEGER)")
        for fts, prefix in INDEXES.items():
            if f"{prefix}_ai" in ungated:
                for suffix in ("ai", "ad", "au"):
                    conn.execute(f"drop trigger if exists [{prefix}_{suffix}]")
                for statement in _trigger_sql(fts, prefix):
                    conn.execute(statement)


def reindex(conn: sqlite3.Connection, removed: list[tuple[int, tuple[Any, ...]]],
            added: list[int]) -> None:
    """Bring every index level with articles written while the triggers stood aside: what
    the triggers would have done, all at once (FTS5 takes them far faster together).

    :param removed: (rowid, values of :data:`FTS_COLUMNS` as indexed) of each article that
        was indexed before and has changed since
    :param added: the rowids of the articles to index as they are now
    """
    cols = ", ".join(map(_quote, FTS_COLUMNS))
    marks = ", ".join("?" * len(FTS_COLUMNS))
    for fts in INDEXES:
        conn.executemany(f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) "
                         f"VALUES ('delete', ?, {marks})",
                         [(rowid, *values) for rowid, values in removed])
    for start in range(0, len(added), 500):  # within SQLite's limit of bound parameters
        chunk = added[start:start + 500]
        rowids = ", ".join("?" * len(chunk))
        for fts in INDEXES:
            conn.execute(f"INSERT INTO [{fts}] (rowid, {cols}) SELECT rowid, {cols} "
                         f"FROM [articles] WHERE rowid IN ({rowids})", chunk)


def _trigram_sql() -> list[str]:
    # sqlite-utils' shape and names (content=[articles], triggers articles_ai/ad/au), so its
    # detect_fts and Datasette find this index for the articles table.
    return _fts_sql(FTS_TABLE, "'trigram'", "[articles]", "articles")


def _words_sql() -> list[str]:
    # Letters and digits make words; Chinese characters and punctuation separate them, so
    # "推动AI发展" has the word "ai". content='articles' in single quotes: Datasette and
    # sqlite-utils look for content="articles" or content=[articles] and so keep finding
    # articles_fts for the table's ?_search= (the metadata names it too).
    tokenize = f"\"unicode61 remove_diacritics 0 separators '{WORD_SEPARATORS}'\""
    return _fts_sql(WORDS_TABLE, tokenize, "'articles'", WORDS_TABLE)


def index_columns(db: sqlite_utils.Database, table: str = FTS_TABLE) -> tuple[str, ...]:
    """The columns an index (``articles_fts`` by default) has; empty when there is none."""
    if not db[table].exists():
        return ()
    return tuple(db[table].columns_dict)


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create ``articles_fts`` and ``articles_words``, or upgrade older ones.

    The ``articles`` table must exist with its folded columns. An archive from before the
    folded columns has every article folded and ``articles_fts`` rebuilt; one without
    ``articles_words`` has that index built (once per archive; minutes for a very large
    one), in one transaction.
    """
    trigram = index_columns(db) == FTS_COLUMNS
    words = index_columns(db, WORDS_TABLE) == FTS_COLUMNS
    _gate_triggers(db)
    if trigram and words:
        return
    conn: sqlite3.Connection = db.conn
    existing = db.execute("select count(*) from articles").fetchone()[0]
    if existing:
        logger.warning("Adding %s to the %d articles of %s (once; the index is built)",
                       "Simplified/Traditional search" if not trigram else "whole-word search",
                       existing, db.execute("pragma database_list").fetchone()[2] or "the archive")
    with conn:  # one transaction: an interrupted upgrade leaves the old index as it was
        if not conn.in_transaction:
            conn.execute("begin")
        if not trigram:
            # Dropping an FTS table drops its shadow tables; the triggers are the articles'.
            conn.execute(f"drop table if exists [{FTS_TABLE}]")
            for suffix in ("ai", "ad", "au"):
                conn.execute(f"drop trigger if exists [articles_{suffix}]")
            if existing:
                fill_folded(conn)
            for statement in _trigram_sql():
                conn.execute(statement)
        if not words:
            conn.execute(f"drop table if exists [{WORDS_TABLE}]")
            for suffix in ("ai", "ad", "au"):
                conn.execute(f"drop trigger if exists [{WORDS_TABLE}_{suffix}]")
            for statement in _words_sql():
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
