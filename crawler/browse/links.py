"""The links shown with an article, wherever it appears (its own page, a search result).

:func:`article_links` is the one place they are made: templates get it through
``extra_template_vars`` (:mod:`crawler.browse.plugin`) and render the list with
``_seedcrawler_links.html``. A new kind of link (a viewer of the archived page, say) is one
more entry in :data:`LINK_MAKERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from datasette.utils import tilde_encode

from crawler.browse.queries import PLUGIN_NAME

if TYPE_CHECKING:
    from datasette.app import Datasette


@dataclass(frozen=True)
class Link:
    """One link: ``label`` is plain text (templates escape it), ``css`` its class."""

    label: str
    href: str
    css: str
    #: points outside the archive (rendered with rel="noopener noreferrer nofollow")
    external: bool = False


Row = Mapping[str, Any]
LinkMaker = Callable[["Datasette", str, Row], Iterable[Link]]


def _web_url(value: Any) -> bool:
    # Archived values are untrusted: only http(s) URLs become links (no javascript:).
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def article_page(datasette: Datasette, database: str, row: Row) -> Iterable[Link]:
    """The article's own page in the archive."""
    if row.get("url"):
        yield Link("Article", datasette.urls.row(database, "articles", tilde_encode(row["url"])),
                   "article-page")


def original(datasette: Datasette, database: str, row: Row) -> Iterable[Link]:
    """The URL as seeded, and the one it was fetched from when a redirect changed it."""
    if _web_url(row.get("url")):
        yield Link(f"Original: {row['url']}", row["url"], "article-url", external=True)
    final = row.get("final_url")
    if _web_url(final) and final != row.get("url"):
        yield Link(f"Fetched from: {final}", final, "article-final-url", external=True)


def captures(datasette: Datasette, database: str, row: Row) -> Iterable[Link]:
    """The capture the article was extracted from, and every capture of its URL."""
    if row.get("capture_id") is not None:
        yield Link(f"Capture {row['capture_id']}",
                   datasette.urls.row(database, "captures", str(row["capture_id"])),
                   "article-capture")
    if row.get("url"):
        yield Link("All captures", datasette.urls.query(database, "captures_of_url") + "?"
                   + urlencode({"url": row["url"]}), "article-captures")


def archived(datasette: Datasette, database: str, row: Row) -> Iterable[Link]:
    """The page as archived, drawn by the viewer (:mod:`crawler.browse.viewer`), when
    ``crawler browse`` serves one."""
    config = (datasette.plugin_config(PLUGIN_NAME) or {}).get("viewer")
    if config and row.get("capture_id") is not None:
        yield Link("Archived page", datasette.urls.path("/-/view") + "?"
                   + urlencode({"capture": row["capture_id"]}), "article-archived")


#: what :func:`article_links` lists, in order
LINK_MAKERS: list[LinkMaker] = [article_page, original, captures, archived]


def article_links(datasette: Datasette, database: str, row: Row,
                  exclude: Iterable[str] = ()) -> list[Link]:
    """Every link of an article row (any mapping with ``url``, and optionally
    ``final_url`` and ``capture_id``).

    :param exclude: CSS classes of links to leave out (the article page on itself)
    """
    row = dict(row)
    skip = set(exclude)
    return [link for make in LINK_MAKERS for link in make(datasette, database, row)
            if link.css not in skip]
