"""Status pages of weibo.cn, Weibo's older HTML mobile site (README: "Weibo").

``weibo.cn/status/<bid>`` and ``weibo.cn/comment/<bid>`` show one post above its comments
(``/repost/`` and ``/attitude/`` above its reposts and likes), in plain markup: the post is
the ``div.c`` whose id is ``M_<bid>``, its text the ``span.ctt`` in it, its time and client
the ``span.ct``; each comment is a ``div.c`` with an id ``C_<id>``. On such a page the
generic path finds the page's menus and the comment list, not the post: the Weibo adapter
hands it here. Pure functions on a parsed page; they run in extraction workers and replay.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import lxml.html

from crawler.adapters.base import url_parts
from crawler.adapters.weibo_ids import StatusRef, bid_to_mid
from crawler.adapters.weibo_text import SITENAME, hashtags, status_text, title_of
from crawler.text.dates import parse_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["POST_PATHS", "article_from_page", "is_status_page", "post_element"]

#: the paths of weibo.cn that show one post, then its comments, reposts or likes
POST_PATHS = ("status", "comment", "repost", "attitude")

_POST_XPATH = '//div[@class="c"][starts-with(@id, "M_")]'
_UID_PATH_RE = re.compile(r"^/(?:u/)?(\d{4,12})/?$")
_COUNT_RE = re.compile(r"^(赞|转发|评论)\[(\d+)\]$")
_COUNT_KEYS = {"赞": "attitudes_count", "转发": "reposts_count", "评论": "comments_count"}
# Absolute times only: "今天 12:30", "5分钟前" and "02月28日" count from when the page was
# fetched, which the page does not say; the time as shown is kept in extra.time_text.
_ABSOLUTE_TIME_RE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")
_REPOST_REASON = "转发理由"


def post_element(tree: HtmlElement) -> HtmlElement | None:
    """The post's ``div.c#M_<bid>`` on a weibo.cn page, or None for another page."""
    found = tree.xpath(_POST_XPATH)
    return found[0] if found else None


def is_status_page(tree: HtmlElement) -> bool:
    """Whether a parsed page is a weibo.cn post page (a saved copy on any host too)."""
    post = post_element(tree)
    return post is not None and bool(post.xpath('.//span[@class="ctt"]'))


def _uid(link: HtmlElement | None) -> str | None:
    if link is None:
        return None
    match = _UID_PATH_RE.match(url_parts(link.get("href") or "").path)
    return match.group(1) if match else None


def _span_text(span: HtmlElement) -> str:
    html = lxml.html.tostring(span, encoding="unicode", with_tail=False)
    text = status_text(html)
    return text[1:].lstrip() if text.startswith((":", "：")) else text


def _reason_text(block: HtmlElement) -> str:
    """The text after "转发理由:" in the last line of a repost, up to its counts."""
    marker = next((s for s in block.iter("span") if _REPOST_REASON in s.text_content()), None)
    if marker is None:
        return ""
    parts: list[str] = [marker.tail or ""]
    for sibling in marker.itersiblings():
        if sibling.tag == "a" and _COUNT_RE.match(sibling.text_content().strip()):
            break
        if sibling.tag == "span" and "ct" in (sibling.get("class") or "").split():
            break
        parts.append(lxml.html.tostring(sibling, encoding="unicode"))
    return status_text("".join(parts)).strip()


def _counts(post: HtmlElement) -> dict[str, int]:
    counts = {}
    for link in post.iter("a"):
        match = _COUNT_RE.match(link.text_content().strip())
        if match:
            counts[_COUNT_KEYS[match.group(1)]] = int(match.group(2))
    return counts


def article_from_page(tree: HtmlElement, url: str) -> dict[str, Any] | None:
    """The article of a weibo.cn post page: the post, not the page around it.

    :param tree: the parsed page
    :param url: the page URL
    :return: the article (keyed ``https://weibo.com/<uid>/<bid>`` when the author link gives
        the uid), or None when the page holds no post
    """
    from crawler.text.language import detect_language

    post = post_element(tree)
    if post is None:
        return None
    texts = post.xpath('.//span[@class="ctt"]')
    if not texts:
        return None
    bid = post.get("id", "")[2:] or None
    author_link = next(iter(post.xpath('./div[1]/a[@href][1]')), None)
    uid = _uid(author_link)
    author = " ".join(author_link.text_content().split()) if author_link is not None else None
    post_text = _span_text(texts[0])
    repost = next((s for s in post.xpath('.//span[@class="cmt"]')
                   if "转发了" in s.text_content()), None)  # fmt: skip
    extra: dict[str, Any] = {
        "uid": uid,
        "bid": bid,
        "mid": bid_to_mid(bid) if bid and bid.isalnum() else None,
        "screen_name": author,
        "page": "weibo.cn",
        "is_repost": repost is not None,
        **_counts(post),
    }
    if repost is not None:
        original = next(iter(repost.xpath("./a")), None)
        extra["retweeted"] = {
            "text": post_text,
            "author": " ".join(original.text_content().split()) if original is not None else None,
            "uid": _uid(original),
        }
        text = _reason_text(post) or post_text
    else:
        text = post_text
    published = None
    time_span = next(iter(post.xpath('.//span[@class="ct"]')), None)
    if time_span is not None:
        shown = " ".join(time_span.text_content().replace("\xa0", " ").split())
        when, _, source = shown.partition("来自")
        extra["time_text"] = when.strip() or None
        extra["source"] = source.strip() or None
        if _ABSOLUTE_TIME_RE.match(when):
            published = parse_date(when)
    if not text:
        return None
    ref = StatusRef(bid, uid) if bid else None
    return {
        "url": ref.canonical_url if ref and uid else None,
        "title": title_of(text),
        "text": text,
        "author": author,
        "published": published,
        "sitename": SITENAME,
        "language": detect_language(text, "zh"),
        "tags": hashtags(text),
        "description": None,
        "image": None,
        "extra": extra,
    }
