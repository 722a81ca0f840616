"""From one fetched body to one article row: the code the live spider and the offline replay
share, so that a replay rebuilds exactly the articles a crawl stored.

Both run :func:`build_article` in a process pool (see ``crawler.extract.pool``): everything here
takes and returns plain values.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.base import url_parts
from crawler.extract import extract_article, is_html

__all__ = ["build_article", "complete_article", "completes", "extractable", "superseded_by"]


def extractable(content_type: str | None, body: bytes, url: str) -> bool:
    """Tell whether a response is worth handing to extraction: a site adapter handles it (some
    serve JSON) or it is an HTML page. The one gate both the spider and the replay use: PDFs,
    images and the like are archived but not extracted.

    :param content_type: the response's ``Content-Type`` header, if any
    :param body: the decoded response body
    :param url: the URL it was fetched from
    """
    return adapter_for(url, content_type) is not None or is_html(content_type, body)


def build_article(
    body: bytes,
    url: str,
    content_type: str | None,
    seed_url: str | None,
    capture_id: int | None = None,
    fetched_at: str | None = None,
) -> dict[str, Any] | None:
    """The article row for one response, or None when it holds no article.

    The article is keyed by the URL its site adapter names as canonical, if it names one,
    else by the seed it was crawled for after its site's canonicalisation.

    :param body: the response body, Content-Encoding already decoded
    :param url: the URL the body was fetched from (after redirects)
    :param content_type: the response's ``Content-Type`` header, if any
    :param seed_url: the seed the response descends from (None: the response's own URL)
    :param capture_id: the ``captures`` row of the response
    :param fetched_at: when the response was fetched (ISO 8601, UTC)
    :return: a row for the ``articles`` table: the extracted fields plus ``url``,
        ``final_url``, ``capture_id`` and ``fetched_at``
    """
    if not extractable(content_type, body, url):
        return None
    article = extract_article(body, url, content_type)
    if article is None:
        return None
    key = article.get("url") or canonical_url(seed_url or url)
    if _long_text_only(article) and seed_url:
        # The extend answer names no uid; the seed's key (weibo.com/<uid>/<bid>) is the one
        # the whole article has, when the seed is this post.
        seed_key = canonical_url(seed_url)
        if seed_key.rstrip("/").endswith("/" + str(article["extra"].get("bid"))):
            key = seed_key
    return {
        **article,
        "url": key,
        "final_url": url,
        "capture_id": capture_id,
        "fetched_at": fetched_at,
    }


# --- articles the live crawl completes with a second request ------------------------------
# A Weibo long post: /statuses/show gives the post with a truncated text, /statuses/extend
# the whole text (crawler.fetch.weibo_session asks for it). Offline, both answers are in
# the archive, under the same seed.


def _long_text_only(article: dict[str, Any]) -> bool:
    extra = article.get("extra") or {}
    return extra.get("adapter") == "weibo" and bool(extra.get("long_text_only"))


def superseded_by(article: dict[str, Any], url: str) -> bool:
    """Whether the response fetched from ``url`` may hold the article that ``article`` is
    only a part of: the ``/statuses/show`` answer of the post whose ``/statuses/extend``
    answer gave ``article`` alone. The caller builds that response's article; if it has one,
    that one (completed with this) is the post's article, and this one is not stored.

    :param article: a row from :func:`build_article`
    :param url: the URL of another response of the same seed
    """
    if not _long_text_only(article):
        return False
    from crawler.adapters.weibo import StatusRef, api_endpoint

    endpoint = api_endpoint(url)
    if endpoint is None or endpoint[0] != "show":
        return False
    ref = StatusRef.from_id(endpoint[1])
    return ref is not None and ref.bid == article["extra"].get("bid")


def completes(article: dict[str, Any], url: str) -> bool:
    """Whether the response fetched from ``url`` completes ``article`` the way a follow-up
    request of the live crawl does (the ``/statuses/extend`` answer of a long Weibo post).

    :param article: a row from :func:`build_article`
    :param url: the URL of another response of the same seed
    """
    extra = article.get("extra") or {}
    if not (extra.get("adapter") == "weibo" and extra.get("text_truncated") and extra.get("mid")):
        return False
    parts = url_parts(url)
    return parts.path.endswith("/statuses/extend") and parse_qs(parts.query).get("id") == [
        str(extra["mid"])]


def complete_article(article: dict[str, Any], body: bytes,
                     capture_id: int | None) -> dict[str, Any]:
    """``article`` completed with the body of the response that :func:`completes` it, as
    the live crawl completes it (unchanged when that response is a wall).

    :param body: the follow-up response body, Content-Encoding decoded
    :param capture_id: the ``captures`` row of the follow-up response
    """
    from crawler.adapters.weibo import WeiboUnavailable, with_long_text

    try:
        completed = with_long_text(article, body)
    except WeiboUnavailable:
        return article
    completed["extra"]["long_text_capture_id"] = capture_id
    return completed
