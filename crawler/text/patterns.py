"""trafilatura's own XPath patterns, asked of one element at a time: whether it would take an
element for boilerplate (``discard_patterns``) or for an article's container
(``article_patterns``), read from its tag and attributes alone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["article_patterns", "discard_patterns", "matched_alone"]

_NAME_RE = re.compile(r"[A-Za-z_][\w.-]*")  # what lxml takes (HTML allows more)


def discard_patterns() -> list[etree.XPath]:
    """The patterns of the containers trafilatura drops whole (navigation, sharing, ads)."""
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    return list(OVERALL_DISCARD_XPATH)


def article_patterns() -> list[etree.XPath]:
    """The patterns of the containers trafilatura reads as an article's."""
    from trafilatura.xpaths import BODY_XPATH

    return list(BODY_XPATH)


def matched_alone(element: HtmlElement, patterns: list[etree.XPath],
                  attributes: dict[str, str] | None = None) -> bool:
    """Whether one of ``patterns`` matches ``element`` on its own: its tag with its
    attributes (or with ``attributes`` in their place), no children, no context."""
    if not _NAME_RE.fullmatch(tag := str(element.tag)):
        return False  # a namespaced tag of a template ('tm:contentobject'): left alone
    if attributes is None:
        attributes = {name: value for name, value in element.attrib.items()
                      if _NAME_RE.fullmatch(name)}
    root = etree.Element("body")
    etree.SubElement(root, tag, attributes)
    return any(pattern(root) for pattern in patterns)
