"""An article container that trafilatura's boilerplate patterns drop whole. Its patterns are
substrings of class names and ids, so ``bar`` (meant for ``navbar``, ``sidebar``) matches a
block classed ``bard``, ``embed`` a Webflow ``w-embed``, ``slide`` a listicle's
``listicle-slides``, ``footer`` a story component's ``page1-footer``. Where such containers
(one, or blocks of one kind) hold most of the page's paragraphs and the extraction kept few
of them, the words that match come off those elements and trafilatura reads the page again."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from crawler.text.patterns import discard_patterns, matched_alone

if TYPE_CHECKING:
    from lxml import etree
    from lxml.html import HtmlElement

__all__ = ["release_discarded_article"]

# Containers are the article when they hold this share of the page's paragraph text...
_ARTICLE_SHARE = 0.5
_MIN_ARTICLE_CHARS = 500
# ...and the extraction kept less than this share of their paragraphs
_KEPT_SHARE = 0.3
_MIN_PARAGRAPH_CHARS = 40
# the attributes whose words come off
_ATTRIBUTES = ("class", "id")
# A container named for a page's furniture by one of these words, whole or as a part of a
# class or id ("right-sidebar", "modal_box"), is that furniture even where it outweighs a
# short article. A footer is not among them: the body of a story may be its component's
# footer ("page1-footer", after the "page1-lead" that holds its first paragraph).
_FURNITURE_WORDS = frozenset({
    "sidebar", "sidebars", "navbar", "nav", "navigation", "menu", "breadcrumb", "breadcrumbs",
    "newsletter", "cookie", "cookies", "consent", "modal", "popup", "related", "comment",
    "comments", "promo", "promotion", "ad", "ads", "advert", "advertisement", "sponsored",
})
_WORD_RE = re.compile(r"[a-z]+")
_CAMEL_RE = re.compile(r"([a-z])([A-Z])")

_Key = tuple[str, str | None, str | None]


def release_discarded_article(tree: HtmlElement, text: str) -> bool:
    """Take from the containers of most of the page's paragraphs that the extraction
    (``text``) left out the class and id words trafilatura discards them by. True when any
    were taken (extract the tree again), False when the page has no such containers."""
    paragraphs = [(p, t) for p in tree.iter("p")
                  if len(t := " ".join(p.text_content().split())) >= _MIN_PARAGRAPH_CHARS]
    total = sum(len(t) for _, t in paragraphs)
    missing = [(p, len(t)) for p, t in paragraphs if t not in text]
    needed = _ARTICLE_SHARE * (1 - _KEPT_SHARE) * total  # left out by such containers
    if total < _MIN_ARTICLE_CHARS or sum(n for _, n in missing) < needed:
        return False
    # the containers of what is missing, blocks of one kind (tag, class, id) together
    left_out: dict[HtmlElement, int] = defaultdict(int)
    for paragraph, chars in missing:
        for ancestor in paragraph.iterancestors():
            left_out[ancestor] += chars
    groups: dict[_Key, list[HtmlElement]] = defaultdict(list)
    for element in left_out:
        groups[(str(element.tag), element.get("class"), element.get("id"))].append(element)
    patterns = discard_patterns()
    released = False
    for (tag, class_, id_), elements in groups.items():
        if sum(left_out[e] for e in elements) < needed or not all(
                matched_alone(e, patterns) and not _named_furniture(e) for e in elements):
            continue
        members = set(elements)
        own = [t for p, t in paragraphs if not members.isdisjoint(p.iterancestors())]
        if sum(map(len, own)) < _ARTICLE_SHARE * total:
            continue
        if sum(len(t) for t in own if t in text) >= _KEPT_SHARE * sum(map(len, own)):
            continue
        # and the blocks of that kind that hold no paragraph (a list, a table), where no
        # container around them is discarded anyway (a collapsed FAQ's answers)
        kind = [e for e in tree.iter(tag) if e.get("class") == class_ and e.get("id") == id_
                and not any(matched_alone(a, patterns) for a in e.iterancestors())]
        released = any([_release(element, patterns) for element in kind]) or released
    return released


def _named_furniture(element: HtmlElement) -> bool:
    names = _CAMEL_RE.sub(r"\1 \2", " ".join(element.get(a) or "" for a in _ATTRIBUTES))
    return not _FURNITURE_WORDS.isdisjoint(_WORD_RE.findall(names.lower()))


def _release(element: HtmlElement, patterns: list[etree.XPath]) -> bool:
    released = False
    for attribute in _ATTRIBUTES:
        words = (element.get(attribute) or "").split()
        kept = [word for word in words if not matched_alone(element, patterns, {attribute: word})]
        if len(kept) < len(words):
            element.set(attribute, " ".join(kept))
            released = True
    return released
