"""Pages of ``crawler browse`` that are not Datasette's own: the plain search page, and the
choices behind the compact articles table.

``/-/search?q=...`` runs the ``search`` canned query (the one ``/archive/search.json``
answers) on every archive the instance serves and shows the hits as a reader expects them:
a box, a button, and for each article its title (a link to its page), site, date, snippet
and links; no SQL. Routes are listed in :data:`ROUTES`, which the plugin registers; a new
page is a coroutine and one more entry there.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from datasette.database import QueryInterrupted
from datasette.utils import path_with_replaced_args
from datasette.utils.asgi import Response

from crawler.browse.links import article_links
from crawler.browse.queries import PLUGIN_NAME, SEARCH_LIMIT

if TYPE_CHECKING:
    from datasette.app import Datasette
    from datasette.utils.asgi import Request

SEARCH_PATH = "/-/search"
SEARCH_TEMPLATE = "seedcrawler-search.html"
#: what the articles table shows unless ?_col= or ?_nocol= says otherwise
ARTICLE_COLUMNS = ("title", "sitename", "author", "published", "language")
#: columns search needs that nobody reads (left out of "all columns" too)
SEARCH_ONLY_COLUMNS = ("title_folded", "text_folded")


def archive_databases(datasette: Datasette) -> list[str]:
    """The databases of the instance that are seedcrawler archives, in serving order."""
    config = datasette.plugin_config(PLUGIN_NAME) or {}
    ours = set(config.get("databases", ()))
    return [name for name in datasette.databases if name in ours]


async def search_page(datasette: Datasette, request: Request) -> Response:
    """``/-/search``: the search box, and the hits of ``q`` in each archive."""
    q = (request.args.get("q") or "").strip()
    archives = []
    for database in archive_databases(datasette):
        query = await datasette.get_canned_query(database, "search", request.actor)
        hits: list[dict[str, Any]] = []
        error = None
        if q and query:
            try:
                results = await datasette.get_database(database).execute(query["sql"],
                                                                         {"q": q})
                hits = [_hit(datasette, database, row) for row in results.rows]
            except QueryInterrupted:
                error = "The search took too long; add a longer word to the query."
            except sqlite3.DatabaseError as exc:
                error = f"The search failed: {exc}"
        archives.append({"database": database, "hits": hits, "error": error})

    context = {
        "q": q,
        "archives": archives,
        "search_limit": SEARCH_LIMIT,
        "search_path": datasette.urls.path(SEARCH_PATH),
        "several": len(archives) > 1,
    }
    html = await datasette.render_template(SEARCH_TEMPLATE, context, request=request,
                                           view_name="seedcrawler-search")
    return Response.html(html)


def _hit(datasette: Datasette, database: str, row: Any) -> dict[str, Any]:
    hit = dict(row)
    links = article_links(datasette, database, hit)
    hit["href"] = next((link.href for link in links if link.css == "article-page"), None)
    hit["links"] = [link for link in links if link.css != "article-page"]
    return hit


#: (path regex, view) pairs registered by the plugin (``register_routes``)
ROUTES = [(r"^/-/search$", search_page)]


def compact_table(datasette: Datasette, database: str | None, table: str | None,
                  columns: list[str] | None, request: Request | None) -> dict[str, Any] | None:
    """How the articles table page shows its rows by default: the columns to show and the
    link that shows them all; None for any other page, or when the request chose its
    columns itself (``?_col=``, ``?_nocol=``)."""
    if (table != "articles" or request is None or columns is None
            or database not in archive_databases(datasette)
            or "_col" in request.args or "_nocol" in request.args):
        return None
    hidden = [c for c in SEARCH_ONLY_COLUMNS if c in columns]
    if hidden:
        everything = [("_nocol", c) for c in hidden]
    else:
        everything = [("_col", c) for c in columns if c != "url"]
    return {
        "columns": [c for c in ARTICLE_COLUMNS if c in columns],
        "all_columns_url": path_with_replaced_args(request, everything),
        "hidden_count": len([c for c in columns if c not in ARTICLE_COLUMNS
                             and c not in SEARCH_ONLY_COLUMNS and c != "url"]),
    }


def article_extra(row: Any) -> list[tuple[str, str]]:
    """An article's site-specific fields (its ``extra`` JSON object) as (name, text) pairs
    for its page: lists of plain values one per line, other values as JSON."""
    try:
        raw = row["extra"]
    except (KeyError, IndexError):
        return []
    try:
        extra = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return [("extra", raw)]
    if not isinstance(extra, dict):
        return [] if extra is None else [("extra", json.dumps(extra, ensure_ascii=False))]
    pairs = []
    for name, value in extra.items():
        if isinstance(value, str):
            text = value
        elif isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            text = "\n".join(map(str, value))
        else:
            text = json.dumps(value, ensure_ascii=False)
        pairs.append((str(name), text))
    return pairs
