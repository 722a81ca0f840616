"""Sohu (搜狐號) articles: ``www.sohu.com/a/<news id>_<account id>``, the body only.

URLs: the article at ``www.sohu.com/a/<id>_<account>`` (``m.sohu.com/a/...`` the same) is
keyed by ``https://www.sohu.com/a/<id>_<account>``, without the ``spm`` tracking query.

Pages: title in ``.text-title h1``, time in ``#news-time`` (``data-val``: milliseconds) or
``og:release_date``, the account in ``meta[name=mediaid]`` and ``.user-info h4 a``, the body
in ``article#mp-editor``. Only the body is read: the statement ("返回搜狐，查看更多",
平台声明), the like/share bar, the recommendation and promotion lists and the hot list around
it stay out; inside it, the hidden original-title line and the empty editor line go.
Other sohu.com pages (channels, older news.sohu.com layouts) take the generic path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crawler.adapters.base import join_url, url_parts
from crawler.adapters.html import HtmlAdapter
from crawler.adapters.html import first_text as _text
from crawler.text.dates import parse_date
from crawler.text.generic import MIN_TEXT_CHARS, declared_language, fragment_text, tag_list
from crawler.text.language import detect_language

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["SohuAdapter"]

TIMEZONE = "Asia/Shanghai"
SITENAME = "搜狐"

_ARTICLE_PATH_RE = re.compile(r"^/a/(?P<id>\d+_\d+)/?$")
# og:url is written without a scheme on some pages: www.sohu.com/a/780060546_458722
_PAGE_URL_RE = re.compile(r"(?:^|//|\.)sohu\.com/a/\d+_\d+")
_ARTICLE_HOSTS = frozenset({"www.sohu.com", "sohu.com", "m.sohu.com"})
_BODY = '//article[@id="mp-editor"] | //article[contains(concat(" ", @class, " "), " article ")]'
_TITLE = '//*[contains(concat(" ", @class, " "), " text-title ")]//h1'
# Lines inside the body container that are not article text.
_BODY_NOISE = (
    './/*[@data-role="original-title" or @data-role="editor-name"] | .//*[@id="backsohucom"]'
    ' | .//script | .//style | .//noscript'
)
_TAG_SPAN = './/span[contains(@class, "article-tag")]'


class SohuAdapter(HtmlAdapter):
    """Articles of 搜狐號 on sohu.com."""

    name = "sohu"
    hosts = ("sohu.com",)

    def canonical_url(self, url: str) -> str:
        parts = url_parts(url)
        match = _ARTICLE_PATH_RE.match(parts.path)
        if (parts.hostname or "").lower() in _ARTICLE_HOSTS and match:
            return f"https://www.sohu.com/a/{match['id']}"
        return url

    def claims_html(self, tree: HtmlElement) -> bool:
        # a saved copy: the article container and the page's own sohu.com/a/ URL
        if not tree.xpath('boolean(//article[@id="mp-editor"])'):
            return False
        return any(
            _PAGE_URL_RE.search(href)
            for href in tree.xpath('//link[@rel="canonical"]/@href'
                                   ' | //meta[@property="og:url"]/@content')
        )

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        """The article in a parsed Sohu article page, or None for another layout."""
        bodies = tree.xpath(_BODY)
        if not bodies:
            return None
        container = bodies[0]
        for noise in container.xpath(_BODY_NOISE):
            if noise.getparent() is not None:
                noise.drop_tree()
        heading = next(iter(tree.xpath(_TITLE)), None)
        if heading is not None:
            for tag in heading.xpath(_TAG_SPAN):
                tag.drop_tree()
        title = (
            _text(tree, _TITLE)
            or _text(tree, '//meta[@property="og:title"]/@content')
            or _text(tree, "//title")
        )
        text = fragment_text(container, title)
        if len(text) < MIN_TEXT_CHARS:
            return None
        published = None
        stamp = _text(tree, '//*[@id="news-time"]/@data-val')
        for candidate in (
            stamp,
            _text(tree, '//*[@id="news-time"]'),
            _text(tree, '//meta[@property="og:release_date"]/@content'),
            _text(tree, '//meta[@itemprop="datePublished"]/@content'),
        ):
            published = parse_date(candidate, tz=TIMEZONE)
            if published:
                break
        account = _text(tree, '//meta[@name="mediaid"]/@content') or _text(
            tree, '//*[contains(concat(" ", @class, " "), " user-info ")]//h4//a')
        images = []
        for img in container.iter("img"):
            src = img.get("data-src") or img.get("src")
            if src and not src.startswith("data:"):
                absolute = join_url(url or "https://www.sohu.com/", src)
                if absolute not in images:
                    images.append(absolute)
        result: dict[str, Any] = {
            "title": title,
            "text": text,
            "author": account,
            "published": published,
            "sitename": _text(tree, '//meta[@property="og:site_name"]/@content') or SITENAME,
            "language": detect_language(text, declared_language(tree)),
            "tags": tag_list(tree.xpath('//meta[@name="keywords"]/@content')),
            "description": _text(
                tree, '//meta[@name="description" or @property="og:description"]/@content'),
            "image": _text(tree, '//meta[@property="og:image"]/@content'),
            "extra": {k: v for k, v in {"account": account, "images": images}.items() if v},
        }
        canonical = self.canonical_url(url) if self.matches(url) else None
        if canonical and canonical != url:
            result["url"] = canonical
        return result
