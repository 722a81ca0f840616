"""Datasette hooks for ``crawler browse`` (see :mod:`crawler.browse.app`, README "Browsing").

Registered by :func:`crawler.browse.app.register_plugin`. Every hook acts only on the
databases listed in the ``seedcrawler`` plugin configuration, which
:func:`crawler.browse.queries.build_metadata` writes. Whatever an archived page holds is
escaped before any markup is added around it.

Where to extend: pages in :data:`crawler.browse.pages.ROUTES`, links shown with an article
in :data:`crawler.browse.links.LINK_MAKERS`, markup in ``templates/`` (Datasette's own
templates are extended there, ``{% extends "default:..." %}``), template variables in
:func:`extra_template_vars`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import markupsafe
from datasette import hookimpl
from datasette.utils import tilde_encode

from crawler.browse import pages
from crawler.browse.links import article_links
from crawler.browse.queries import (
    MARK_END,
    MARK_START,
    PLUGIN_NAME,
    changed_query,
    search_query,
    tune_connection,
)

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


@hookimpl(trylast=True)
def prepare_connection(conn: Any, database: str, datasette: Datasette) -> None:
    # Last, after Datasette's own: our escape_fts (folded words for ?_search=) replaces its.
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
        queries = {}
        if ("text_folded" not in await db.table_columns("articles")
                or not await db.table_exists("articles_words")):
            # An archive older than the folded columns and the word index (until a crawl
            # or a replay adds them).
            queries["search"] = search_query(folded=False)
        if await db.table_exists("article_versions"):
            columns = await db.table_columns("article_versions")
            diff = next((c for c in columns if "diff" in c.lower()), None)
            queries["changed"] = changed_query(diff)
        return queries

    return inner


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Any]]:
    return list(pages.ROUTES)


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None,
                        columns: list[str] | None, view_name: str, request: Any,
                        datasette: Datasette) -> dict[str, Any]:
    if not pages.archive_databases(datasette):
        return {}
    return {
        "seedcrawler_search_path": datasette.urls.path(pages.SEARCH_PATH),
        "seedcrawler_archive": _ours(datasette, database),
        "seedcrawler_compact": (pages.compact_table(datasette, database, table, columns, request)
                                if view_name == "table" else None),
        "article_links": lambda db, row, exclude=(): article_links(datasette, db, row, exclude),
        "highlight": highlight,
        "tilde_encode": tilde_encode,
        "article_extra": pages.article_extra,
    }


@hookimpl
def menu_links(datasette: Datasette, actor: Any, request: Any) -> list[dict[str, str]]:
    if not pages.archive_databases(datasette):
        return []
    return [{"href": datasette.urls.path(pages.SEARCH_PATH), "label": "Search articles"}]
