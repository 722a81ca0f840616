"""The ``crawler browse`` server: the archive served read-only with Datasette.

README.md "Browsing" documents it; INTERFACE.md "Browsing (Datasette)" is the contract. The
database is served read-only under its file stem (``archive`` for ``archive.db``), after its
WAL has been checkpointed, with the metadata of :mod:`crawler.browse.queries`;
:mod:`crawler.browse.plugin` renders links and highlights and adds the queries that depend
on optional tables.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.browse.queries import PLUGIN_NAME, build_metadata

if TYPE_CHECKING:
    from datasette.app import Datasette

    from crawler.browse.viewer import ViewerConfig

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
TEMPLATES_DIR = Path(__file__).with_name("templates")

SETTINGS = {
    # A one- or two-character search scans every article (no index can serve it): about a
    # second for 100,000 articles (README "Benchmarks"). Datasette's default is 1 s.
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 1000,
    # Table pages stay scannable; the row page of an article shows the whole text.
    "truncate_cells_html": 300,
    # Suggesting facets runs a query per column, article text included: seconds per page
    # on a large archive. The useful facets are configured (TABLES).
    "suggest_facets": False,
}


class NoArchive(Exception):
    """The database to browse is missing or is not a seedcrawler archive."""


# --------------------------------------------------------------------------- serving


@dataclass(frozen=True)
class CheckpointResult:
    ok: bool
    message: str = ""


def checkpoint(path: str | Path) -> CheckpointResult:
    """Copy what the WAL holds into the database file (``wal_checkpoint(TRUNCATE)``).

    Needs a write connection for a moment. Not being able to (a read-only file, a writer
    holding the lock) is reported, not raised: the archive can still be served.
    """
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as ex:
        return CheckpointResult(False, f"cannot open {path} for writing: {ex}")
    try:
        busy, log_frames, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as ex:
        return CheckpointResult(False, f"checkpoint of {path} failed: {ex}")
    finally:
        conn.close()
    if busy:
        return CheckpointResult(False, f"checkpoint of {path} incomplete: database busy "
                                       f"({done} of {log_frames} WAL frames copied)")
    return CheckpointResult(True)


def database_name(path: str | Path) -> str:
    """The name Datasette serves a database file under: its stem."""
    return Path(path).stem


def open_archive(path: str | Path, *, immutable: bool = False,
                 viewer: ViewerConfig | None = None) -> Datasette:
    """A Datasette instance serving the archive at ``path`` read-only.

    The WAL is checkpointed first. By default the file is opened with ``mode=ro``, so rows a
    running crawl adds show up; ``immutable=True`` uses Datasette's immutable mode (faster
    counts, no locking), for an archive nothing writes to any more.

    :param path: the archive database (``ARCHIVE_DIR/archive.db``)
    :param immutable: serve with Datasette's immutable mode
    :param viewer: serve the archived pages with replayweb.page (:mod:`crawler.browse.viewer`)
    :raises NoArchive: when the file is missing or has no ``articles`` table
    """
    from datasette.app import Datasette

    path = Path(path)
    if not path.is_file():
        raise NoArchive(f"no archive database at {path}")
    result = checkpoint(path)
    if not result.ok:
        logger.warning("%s%s", result.message,
                       "; rows still in the WAL are invisible in immutable mode"
                       if immutable else "")
    _check_is_archive(path)
    register_plugin()
    name = database_name(path)
    files = [] if immutable else [str(path)]
    immutables = [str(path)] if immutable else []
    metadata = build_metadata(name)
    if viewer is not None:
        metadata["plugins"][PLUGIN_NAME]["viewer"] = viewer.as_plugin_config()
    return Datasette(files, immutables=immutables, metadata=metadata,
                     settings=dict(SETTINGS), template_dir=str(TEMPLATES_DIR))


def _check_is_archive(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in
                      conn.execute("select name from sqlite_master where type = 'table'")}
            columns = {row[1] for row in conn.execute("pragma table_info(articles)")}
            if "articles_words" not in tables:
                columns.discard("text_folded")  # made between the folded columns and it
        finally:
            conn.close()
    except sqlite3.DatabaseError as ex:
        raise NoArchive(f"{path} is not a SQLite database: {ex}") from ex
    if "articles" not in tables:
        raise NoArchive(f"{path} is not a seedcrawler archive (no articles table)")
    if "text_folded" not in columns:
        logger.warning("%s predates Simplified/Traditional search: searches will not match "
                       "one script with the other until the next crawl or `crawler replay` "
                       "on it upgrades it", path)


def register_plugin() -> None:
    """Register :mod:`crawler.browse.plugin` (once per process).

    Its hooks only act on databases named in the ``seedcrawler`` plugin configuration that
    :func:`build_metadata` writes, so other Datasette instances are left alone.
    """
    from datasette.plugins import pm

    from crawler.browse import plugin as datasette_plugin
    from crawler.browse import viewer

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="crawler.browse.plugin")
    if not pm.is_registered(viewer):
        pm.register(viewer, name="crawler.browse.viewer")


async def fetch(ds: Datasette, path: str, readable: bool = False) -> tuple[int, str]:
    """Answer one request to ``ds`` in-process: (HTTP status, body).

    :param readable: JSON with its characters as they are (Datasette writes ``\\uXXXX``
        escapes for everything outside ASCII), for a person to read
    """
    await ds.invoke_startup()
    response = await ds.client.get(path)
    body = response.text
    if readable and "json" in response.headers.get("content-type", ""):
        with contextlib.suppress(ValueError):  # not JSON after all: as it came
            body = json.dumps(json.loads(body), ensure_ascii=False)
    return response.status_code, body


def get(ds: Datasette, path: str, readable: bool = False) -> tuple[int, str]:
    """:func:`fetch`, for callers without an event loop (``crawler browse --get``)."""
    return asyncio.run(fetch(ds, path, readable))


def serve(ds: Datasette, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve ``ds`` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on")
