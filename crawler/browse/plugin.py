"""Datasette hooks for ``crawler browse`` (see :mod:`crawler.browse.app`, README "Browsing").

Registered by :func:`crawler.browse.app.register_plugin`. Every hook acts only on the
databases listed in the ``seedcrawler`` plugin configuration, which
:func:`crawler.browse.queries.build_metadata` writes. Whatever an archived page holds is
escaped before any markup is added around it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import markupsafe
from datasette import hookimpl
from datasette.utils import tilde_encode

from crawler.browse.queries import MARK_END, MARK_START, PLUGIN_NAME, changed_query, tune_connection

if TYPE_CHECKING:
    from datasette.app import Datasette

_MARKED = re.compile(re.escape(MARK_START) + "([^" + MARK_START + MARK_END + "]*)"
                     + re.escape(MARK_END))


def _ours(datasette: Datasette, database: str | None) -> bool:
    config = datasette.plugin_config(PLUGIN_NAME) or {}
    return database is not None and database in config.get("databases", ())


def highlight(snippet: str) -> markupsafe.Markup:
    """Escape ``snippet``, then wrap each ⟦match⟧ in ``<mark>``."""
    escaped = str(markupsafe.escape(snippet))
    return markupsafe.Markup(_MARKED.sub(r"<mark>\1</mark>", escaped))


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Datasette) -> None:
    if _ours(datasette, database):
        tune_connection(conn)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Datasette) -> markupsafe.Markup | None:
    # Query results only (table is None): a search hit links to the article's page.
    if table is not None or not _ours(datasette, database) or not isinstance(value, str):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "snippet":
        return highlight(value)
    if column == "title" and "url" in keys and row["url"]:
        href = datasette.urls.row(database, "articles", tilde_encode(row["url"]))
        return markupsafe.Markup('<a href="{}">{}</a>').format(href, value or row["url"])
    return None


@hookimpl
def canned_queries(datasette: Datasette, database: str, actor: Any) -> Any:
    if not _ours(datasette, database):
        return None

    async def inner() -> dict[str, Any]:
        db = datasette.get_database(database)
        if not await db.table_exists("article_versions"):
            return {}
        columns = await db.table_columns("article_versions")
        diff = next((c for c in columns if "diff" in c.lower()), None)
        return {"changed": changed_query(diff)}

    return inner
