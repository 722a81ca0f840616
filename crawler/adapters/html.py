"""Adapters for sites that serve articles as HTML pages (NetEase, WeChat): decode the body
the way the generic path does, parse it once, and hand the tree to the site's rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.adapters.base import Adapter
from crawler.text.decode import decode_html
from crawler.text.generic import (
    MIN_TEXT_CHARS,
    clean_space,
    declared_language,
    fragment_text,
    is_html,
)
from crawler.text.language import detect_language

if TYPE_CHECKING:
    from lxml.html import HtmlElement


class HtmlAdapter(Adapter):
    """Subclasses implement :meth:`extract_tree`."""

    def extract(self, body: bytes, url: str, content_type: str | None) -> dict[str, Any] | None:
        if not body or not is_html(content_type, body):
            return None
        decoded = decode_html(body, content_type)
        try:
            from trafilatura.utils import load_html  # only where pages are parsed

            tree = load_html(decoded.text)
        except (TypeError, ValueError):
            return None
        if tree is None:
            return None
        result = self.extract_tree(tree, url)
        if result is not None:
            result["encoding"] = decoded.encoding
        return result

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        """The article in a parsed page of this site, or None for another layout."""
        raise NotImplementedError


def first_text(tree: HtmlElement, xpath: str) -> str | None:
    """The first non-empty cleaned text (or attribute value) that ``xpath`` selects."""
    for node in tree.xpath(xpath):
        value = clean_space(node if isinstance(node, str) else node.text_content())
        if value:
            return value
    return None


def container_article(tree: HtmlElement, container: HtmlElement, title: str | None,
                      author: str | None, published: str | None, extra: dict[str, Any],
                      image: str | None = None) -> dict[str, Any] | None:
    """The article whose text is one container an adapter picked out (None when it holds
    too little text), with the page's site name, description and language."""
    text = fragment_text(container, title)
    if len(text) < MIN_TEXT_CHARS:
        return None
    return {
        "title": title,
        "text": text,
        "author": author,
        "published": published,
        "sitename": first_text(tree, '//meta[@property="og:site_name"]/@content'),
        "language": detect_language(text, declared_language(tree)),
        "tags": [],
        "description": first_text(tree, '//meta[@name="description"]/@content'),
        "image": image,
        "extra": {k: v for k, v in extra.items() if v},
    }
