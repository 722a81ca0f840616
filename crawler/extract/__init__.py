"""Page -> article: the site adapter that claims a response, else the generic path.

The public entry points are documented in INTERFACE.md ("Python API"): :func:`extract` and
:func:`extract_article`. This package sits above both ``crawler.adapters`` (site knowledge)
and ``crawler.text`` (decoding, cleaning, dates, language, the generic trafilatura path),
which know nothing of each other's callers. ``crawler.extract.articles`` turns a result into
an ``articles`` row; ``crawler.extract.pool`` runs extraction in worker processes.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import lxml.html

from crawler.adapters import adapter_for, adapters
from crawler.adapters.base import PageUnavailable
from crawler.extract.walls import PageSignals, judge, page_signals
from crawler.text.decode import decode_html, looks_mojibake
from crawler.text.generic import (
    MIN_TEXT_CHARS,
    extract_html,
    extract_tree,
    fragment_text,
    is_html,
    parse_html,
)
from crawler.text.repair import repair_misread_utf8
from crawler.text.scripted import MIN_SCRIPT_TEXT, script_article

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.html import HtmlElement

    from crawler.adapters.base import Adapter

__all__ = [
    "MIN_TEXT_CHARS",
    "Mojibake",
    "PageUnavailable",
    "extract",
    "extract_article",
    "extract_html",
    "fragment_text",
    "is_html",
]


class Mojibake(ValueError):
    """The text extracted from a page is not what was written: its bytes were decoded with the
    wrong charset whatever the page declared (Big5 read as GB18030, UTF-8 as Windows-1252).
    Raised by :func:`extract_article` instead of returning such an article; the crawler
    records it (``errors``: stage ``extract``, error ``Mojibake``) and never stores it.

    :param reason: what gives it away, e.g. ``"implausible Chinese (common 0.41, ...)"``
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __reduce__(self):  # keep the reason across process pools
        return (type(self), (self.reason,))


# The fields of the page's own words, where a site's earlier misreading of UTF-8 shows.
_REPAIRED_FIELDS = ("title", "text", "author", "description")


def extract(body: bytes, url: str, content_type: str | None = None) -> dict | None:
    """Extract the article held in one response body.

    :param body: the response body (content-decoded, i.e. no longer gzip)
    :param url: the URL the body was fetched from; it selects the site adapter
    :param content_type: the HTTP Content-Type header value, if any
    :return: a plain dict (``title``, ``text``, ``author``, ``published``, ``sitename``,
        ``language``, ``tags``, ``description``, ``image``, ``encoding``; from a site adapter
        also ``extra`` and maybe ``url``), or ``None`` when the body holds no article (not
        HTML, no text, a notice that the article was deleted or is walled off, or text that
        is mojibake: see :func:`extract_article` to tell those apart)
    """
    try:
        return extract_article(body, url, content_type)
    except (PageUnavailable, Mojibake):
        return None


def extract_article(body: bytes, url: str, content_type: str | None = None) -> dict | None:
    """As :func:`extract`, but a page that is a notice instead of an article raises.

    The crawler and replay use this to record deleted and walled pages.

    :raises crawler.adapters.base.PageUnavailable: the page says the article was deleted
        (``kind="deleted"``) or walls the crawler off (``kind="blocked"``)
    :raises Mojibake: the text found is not readable text (decoded with the wrong charset);
        UTF-8 that the site itself once read as Windows-1252 or Windows-1251 and published so
        is read right first (:func:`crawler.text.repair.repair_misread_utf8`)
    """
    # The one place site adapters (Weibo JSON, NetEase, WeChat) are consulted, by URL and
    # content type, before the generic path. Adapters get the raw bytes: some serve JSON.
    adapter = adapter_for(url, content_type)
    result = None
    if adapter is not None:
        result = _run_adapter(adapter, body, url, content_type)
    if result is None:
        result = _extract_generic(body, url, content_type, declined=adapter)
    if result is not None:
        for field in _REPAIRED_FIELDS:
            if isinstance(result.get(field), str):
                result[field] = repair_misread_utf8(result[field])
        reason = looks_mojibake(result.get("text"))
        if reason is not None:
            raise Mojibake(reason)
    return result


def _run_adapter(adapter: Adapter, body: bytes, url: str, content_type: str | None) -> dict | None:
    result = adapter.extract(body, url, content_type)
    if result is not None:
        result.setdefault("extra", {}).setdefault("adapter", adapter.name)
    return result


def _signals_of(html: str) -> PageSignals | None:
    # What a login, captcha or notice page shows, read from a fresh parse: extraction
    # prunes the tree it is given.
    tree = parse_html(html)
    return None if tree is None else page_signals(tree)


def _from_script(tree: HtmlElement, url: str, longer_than: int) -> dict | None:
    """The article of a page whose markup has none, or next to none (a shell its scripts
    render), from the article markup a script holds (:func:`crawler.text.scripted.
    script_article`) when its text is longer than ``longer_than``: that markup in the page's
    place, the page's ``<head>`` kept for the metadata.

    :param tree: a fresh parse of the page (it is modified)
    """
    found = script_article(tree)
    if found is None or found[1] <= longer_than:
        return None
    body = tree.find("body")
    if body is None:
        return None
    for child in list(body):
        body.remove(child)
    body.text = None
    body.append(lxml.html.fragment_fromstring(f"<article>{found[0]}</article>"))
    return extract_tree(tree, url)


def _extract_generic(
    body: bytes, url: str, content_type: str | None, declined: Adapter | None = None
) -> dict | None:
    if not body or not is_html(content_type, body):
        return None
    decoded = decode_html(body, content_type)
    tree = parse_html(decoded.text)
    if tree is None:
        return None
    # A page in a known site's markup at a host no adapter matched (a mirror, a saved copy,
    # the local fixture site): the site's adapter handles it as if the URL had matched.
    for adapter in adapters():
        if adapter is not declined and adapter.claims_html(tree):
            result = _run_adapter(adapter, body, url, content_type)
            if result is not None:
                return result
    result = extract_tree(tree, url)
    shown = len(result["text"]) if result is not None else 0
    signals: PageSignals | Callable[[], PageSignals | None] = partial(_signals_of, decoded.text)
    if shown < MIN_SCRIPT_TEXT:
        # one fresh parse for both: the wall signals (read first) and the script's article
        fresh = parse_html(decoded.text)
        if fresh is not None:
            signals = page_signals(fresh)
            result = _from_script(fresh, url, longer_than=2 * shown) or result
    # A wall on any site (crawler.extract.walls): recorded as blocked, never an article.
    wall = judge(signals, result)
    if wall is not None:
        raise PageUnavailable(wall.reason, kind="blocked")
    if result is not None:
        result["encoding"] = decoded.encoding
    return result
