"""Lists of an article that trafilatura found no container for. Without one (no ``<article>``,
no ``post``/``entry``/``content`` block) it gathers the page's paragraphs one by one, and in
its default reading that gathering takes no lists: the bullet points between two paragraphs
of the story go. Those lists come back in their place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.text.patterns import article_patterns, matched_alone

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["with_uncontained_lists"]

# the list's container holds this many of the kept paragraphs: it is the article's
_KEPT_PARAGRAPHS = 2
_MIN_PARAGRAPH_CHARS = 40
_MIN_LIST_CHARS = 30
# a list whose text is mostly links is a menu or a list of other pages, not the story's
_MAX_LINK_SHARE = 0.5


def _flat(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def with_uncontained_lists(tree: HtmlElement, text: str) -> str:
    """``text`` (trafilatura's, one paragraph a line) with the lists it left out from
    between its paragraphs, each item a ``- `` line after the paragraph before the list:
    lists in no container trafilatura reads as an article, beside two or more of its kept
    paragraphs, none of their items kept and not mostly links."""
    lines = text.splitlines()
    flat_lines = [" ".join(line.split()) for line in lines]
    position = {line: index for index, line in reversed(list(enumerate(flat_lines))) if line}
    inserts: dict[int, list[str]] = {}
    patterns = article_patterns()
    kept: dict[HtmlElement, int] = {}  # a parent's paragraphs in the text
    for element in tree.iter("ul", "ol"):
        parent = element.getparent()
        if parent is None:
            continue
        if parent not in kept:
            kept[parent] = sum(1 for p in parent.iterchildren("p")
                               if len(t := _flat(p)) >= _MIN_PARAGRAPH_CHARS and t in position)
        if kept[parent] < _KEPT_PARAGRAPHS:
            continue
        items = [t for li in element.iterchildren("li") if (t := _flat(li))]
        chars = sum(map(len, items))
        links = sum(len(_flat(a)) for a in element.iter("a"))
        if (chars < _MIN_LIST_CHARS or links > _MAX_LINK_SHARE * chars
                or any(item in position or f"- {item}" in position for item in items)):
            continue
        if any(matched_alone(a, patterns) for a in element.iterancestors()):
            continue
        before = [position[t] for p in element.itersiblings("p", preceding=True)
                  if (t := _flat(p)) in position]
        if before:
            inserts.setdefault(before[0], []).extend(f"- {item}" for item in items)
    if not inserts:
        return text
    out: list[str] = []
    for index, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(index, []))
    return "\n".join(out)
