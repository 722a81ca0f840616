"""NetEase (163.com) articles: canonical URLs, the article body only, the 網易號 account.

URLs: an article lives at ``https://www.163.com/<section>/article/<ID>.html`` (``<ID>`` is
16 characters ``[0-9A-Z]``). The same article on ``3g.163.com`` or ``m.163.com``
(``/<section>/article/<ID>.html``) is keyed by that www URL; on ``c.m.163.com``
(``/news/a/<ID>.html``, which does not say the section) by
``https://www.163.com/dy/article/<ID>.html``, since most articles there are 網易號 posts.
A page whose ``<link rel="canonical">`` names another section corrects it (the result's
``url``). Older ``news.163.com/YY/MMDD/HH/<ID>.html`` pages (and the same scheme on other
channel hosts) keep their URL.

Pages: the current layout has ``h1.post_title``, ``div.post_info`` (date and source),
``div.post_body`` and, for 網易號 posts, the account in ``.post_wemedia_name a``; the date
is also in ``html/@data-publishtime``. Older pages use ``#epContentLeft h1``, ``#endText``
and ``.post_time_source``. Only the body container is extracted: recommendation lists, the
statement under the body, the account box and comments stay out. Images are served through
the ``nimg.ws.126.net/?url=<original>`` proxy; ``extra.images`` holds the originals.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from crawler.adapters.base import join_url, url_parts
from crawler.adapters.html import HtmlAdapter
from crawler.adapters.html import first_text as _text
from crawler.text.dates import parse_date
from crawler.text.generic import (
    MIN_TEXT_CHARS,
    declared_language,
    fragment_text,
    meta_author,
    tag_list,
)
from crawler.text.language import detect_language

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["NetEaseAdapter", "unwrap_image_url"]

TIMEZONE = "Asia/Shanghai"
SITENAME = "网易"

_ID = r"(?P<id>[0-9A-Z]{16})"
# /dy/article/K4EJ8Q3L0519DTSV.html on www, 3g and m hosts
_ARTICLE_PATH_RE = re.compile(r"^/(?P<section>[a-z0-9_]+)/article/" + _ID + r"\.html$")
# c.m.163.com/news/a/K4EJ8Q3L0519DTSV.html
_CM_PATH_RE = re.compile(r"^/news/a/" + _ID + r"\.html$")
# news.163.com/15/0312/10/AKJ2V9RP00014JB5.html
_OLD_PATH_RE = re.compile(r"^/\d{2}/\d{4}/\d{2}/" + _ID + r"\.html$")
_WWW_HOSTS = frozenset({"www.163.com", "163.com", "3g.163.com", "m.163.com"})
_CM_HOST = "c.m.163.com"
_DEFAULT_CM_SECTION = "dy"

_IMAGE_PROXY_HOSTS = frozenset({"nimg.ws.126.net", "nimg.ws.126.net:443"})

_SOURCE_RE = re.compile(r"(?:来源|來源)\s*[:：]\s*(?P<source>\S[^\n|]*?)\s*(?:举报|舉報|$)")


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


_NEW_TITLE = f"//h1[{_has_class('post_title')}]"
_NEW_BODY = f"//div[{_has_class('post_body')}]"
_OLD_TITLE = '//*[@id="epContentLeft"]//h1'
_OLD_BODY = '//*[@id="endText"]'
# The date-and-source line under the title, in the layouts of 2012 to now.
_INFO = " | ".join(
    f"//*[{_has_class(name)}]"
    for name in ("post_info", "post_time_source", "ep-time-soure", "ep-time-source", "ep-info")
) + ' | //*[@id="ptime"]'
# Blocks inside the body container that are not article text (ads, source/editor credits,
# share bars, the statement).
_BODY_NOISE = " | ".join(
    f".//*[{_has_class(name)}]"
    for name in (
        "gg200x300",
        "ep-source",
        "ep-editor",
        "post_statement",
        "post_author",
        "post_btmshare",
        "post_topshare",
        "post_next",
        "otitle_editor",
    )
) + " | .//script | .//style | .//noscript"
# Marks of a NetEase page, for claiming pages at hosts the adapter does not know.
_NETEASE_MARKS = (
    'boolean(/html[@id="ne_wrap" or @data-publishtime]'
    ' | //a[contains(@href, "163.com/")] | //img[contains(@src, ".126.net/")])'
)


def unwrap_image_url(src: str, base: str | None = None) -> str:
    """The original URL of an image served through NetEase's resizing proxy.

    ``https://nimg.ws.126.net/?url=http%3A%2F%2Fdingyue.ws.126.net%2Fa.jpeg&thumbnail=...``
    becomes ``http://dingyue.ws.126.net/a.jpeg``; other URLs come back unchanged (made
    absolute against ``base``).
    """
    src = join_url(base, src.strip()) if base else src.strip()
    parts = url_parts(src)
    if parts.hostname in _IMAGE_PROXY_HOSTS:
        wrapped = parse_qs(parts.query).get("url")
        if wrapped and wrapped[0].startswith(("http://", "https://", "//")):
            return wrapped[0]
    return src


class NetEaseAdapter(HtmlAdapter):
    """Articles on 163.com: www, 3g, m and c.m hosts, and older channel pages."""

    name = "netease"
    hosts = ("163.com",)

    def canonical_url(self, url: str) -> str:
        parts = url_parts(url)
        host = (parts.hostname or "").lower()
        if host in _WWW_HOSTS:
            match = _ARTICLE_PATH_RE.match(parts.path)
            if match:
                return f"https://www.163.com/{match['section']}/article/{match['id']}.html"
        elif host == _CM_HOST:
            match = _CM_PATH_RE.match(parts.path)
            if match:
                return f"https://www.163.com/{_DEFAULT_CM_SECTION}/article/{match['id']}.html"
        return url

    def claims_html(self, tree: HtmlElement) -> bool:
        if tree.xpath(f"boolean({_NEW_TITLE}) and boolean({_NEW_BODY})"):
            return bool(tree.xpath(_NETEASE_MARKS))
        return bool(tree.xpath(f"boolean({_OLD_TITLE}) and boolean({_OLD_BODY})"))

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        """The article in a parsed NetEase page, or None when the page has another layout."""
        bodies = tree.xpath(_NEW_BODY) or tree.xpath(_OLD_BODY)
        if not bodies:
            return None
        container = bodies[0]
        title = (
            _text(tree, _NEW_TITLE)
            or _text(tree, _OLD_TITLE)
            or _text(tree, '//meta[@property="og:title"]/@content')
            or _text(tree, "//title")
        )
        for noise in container.xpath(_BODY_NOISE):
            if noise.getparent() is not None:
                noise.drop_tree()
        # money.163.com (2015): a promotion block ("重点推荐", the app, stock news) closes
        # the body, from its div.biaoqian on.
        for promo in container.xpath(f"./*[{_has_class('biaoqian')}]")[:1]:
            for after in [promo, *promo.itersiblings()]:
                after.drop_tree()
        images = self._images(container, url)
        text = fragment_text(container, title)
        if len(text) < MIN_TEXT_CHARS:
            return None

        info = _text(tree, _INFO)
        published_time = None
        for candidate in (
            tree.get("data-publishtime"),
            info,
            _text(tree, '//meta[@property="article:published_time"]/@content'),
            _text(tree, '//meta[@name="publishdate" or @name="ptime"]/@content'),
        ):
            published_time = parse_date(candidate, tz=TIMEZONE)
            if published_time:
                break
        account = _text(tree, f"//*[{_has_class('post_wemedia_name')}]//a") or _text(
            tree, f"//*[{_has_class('post_wemedia_name')}]"
        )
        source = self._source(tree, info)
        sitename = _text(tree, '//meta[@property="og:site_name"]/@content') or SITENAME
        author = account or meta_author(tree)
        if author == sitename:
            author = None
        keywords = tree.xpath('//meta[@name="keywords"]/@content')
        article_tags = tree.xpath('//meta[@property="article:tag"]/@content')
        canonical = self._canonical_from_page(tree)
        article_id = self._article_id(canonical or url, tree)
        extra: dict[str, Any] = {
            "source": source,
            "account": account,
            "images": images,
            "article_id": article_id,
            "published_time": published_time,
        }
        result: dict[str, Any] = {
            "title": title,
            "text": text,
            "author": author,
            "published": published_time,  # with time and +08:00 when the page gives them
            "sitename": sitename,
            "language": detect_language(text, declared_language(tree)),
            "tags": tag_list(keywords, article_tags),
            "description": _text(
                tree, '//meta[@name="description" or @property="og:description"]/@content'
            ),
            "image": _text(tree, '//meta[@property="og:image"]/@content'),
            "extra": {k: v for k, v in extra.items() if v},
        }
        # The page names its canonical URL; a copy served from another host (a mirror, a
        # saved page, the fixture site) stays keyed by its own URL.
        if canonical and self.matches(url):
            result["url"] = canonical
        return result

    # ---------------------------------------------------------------- parts of the page

    @staticmethod
    def _images(container: HtmlElement, url: str) -> list[str]:
        images: list[str] = []
        for img in container.iter("img"):
            src = img.get("data-src") or img.get("src")
            if not src or src.startswith("data:"):
                continue
            original = unwrap_image_url(src, url)
            if original not in images:
                images.append(original)
        return images

    @staticmethod
    def _source(tree: HtmlElement, info: str | None) -> str | None:
        link = _text(
            tree,
            '//*[@id="ne_article_source"]'
            f" | //div[{_has_class('post_info')}]//a[not({_has_class('post_report')})]",
        )
        if link:
            return link
        if info:
            match = _SOURCE_RE.search(info)
            if match:
                return match["source"]
        return None

    def _canonical_from_page(self, tree: HtmlElement) -> str | None:
        for href in tree.xpath(
            '//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content'
        ):
            href = href.strip()
            host = (url_parts(href).hostname or "").lower()
            if host == "163.com" or host.endswith(".163.com"):
                canonical = self.canonical_url(href)
                if _ARTICLE_PATH_RE.match(url_parts(canonical).path) or _OLD_PATH_RE.match(
                    url_parts(canonical).path
                ):
                    return canonical
        return None

    @staticmethod
    def _article_id(url: str, tree: HtmlElement) -> str | None:
        path = url_parts(url).path
        for pattern in (_ARTICLE_PATH_RE, _CM_PATH_RE, _OLD_PATH_RE):
            match = pattern.match(path)
            if match:
                return match["id"]
        docid = tree.xpath("string((//*[@data-docid])[1]/@data-docid)")
        return docid or None
