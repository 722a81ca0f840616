"""Adapters for sites that serve articles as HTML pages (NetEase, WeChat): decode the body
the way the generic path does, parse it once, and hand the tree to the site's rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.adapters.base import Adapter
from crawler.text.decode import decode_html
from crawler.text.generic import clean_space, is_html

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
