"""Cleaning that trafilatura does not do for Chinese news pages.

Used by ``crawler.text.generic`` on pages whose text is mostly Chinese (Latin-script pages
are left as trafilatura makes them), and by site adapters on the article container they pick
out. :func:`refine` improves on trafilatura's text of a Chinese page with the line rules of
``crawler.text.lines`` and the DOM blocks of ``crawler.text.blocks``; the names of both are
re-exported here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crawler.text.blocks import block_lines, densest_block, prune_comments
from crawler.text.headlines import MIN_HEADLINE, headline, headline_element, names_the_site
from crawler.text.lines import (
    clean_lines,
    coverage,
    is_cjk,
    is_menu,
    paragraph_chars,
    prose_lines,
)

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "article_headline",
    "block_lines",
    "clean_lines",
    "coverage",
    "densest_block",
    "headline",
    "headline_element",
    "is_cjk",
    "is_menu",
    "paragraph_chars",
    "prune_comments",
    "refine",
]

# The densest block replaces trafilatura's text when it has this many times its prose, or
# holds this share of its prose and trafilatura's text is this much longer (menus, lists,
# footers around it) or has fewer than 1/_MERGED_LINES of its lines.
_BIGGER_BLOCK = 1.3
_BLOCK_COVERS = 0.85
_DUMP_RATIO = 1.25
_MERGED_LINES = 2
# Where trafilatura's text holds this share of the block's prose, the block is the article
# and what trafilatura took around it is the page's other text (teasers, another article).
_HELD = 0.9
# ...unless the block has under this share of trafilatura's prose and trafilatura's lead
# (its first this many characters) comes before it.
_LEAD_KEPT = 0.5
_LEAD_PREFIX = 20
_SPACE_RE = re.compile(r"\s+")
# A table row of at least this many characters whose prose the paragraphs before it hold
# (_HELD of it) repeats them.
_ROW_REPEATS = 30


def _cleaned(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "\n".join(clean_lines(lines))


def _within(block_text: str, text: str) -> str:
    """The block's lines that trafilatura kept too, or that read as prose: trafilatura's own
    pruning (players, login boxes, tag lists) applied inside the block."""
    kept = _SPACE_RE.sub("", text)
    prose = set(prose_lines(block_text))
    return "\n".join(
        line for line in block_text.splitlines()
        if line in prose or _SPACE_RE.sub("", line) in kept
    )  # fmt: skip


def refine(tree: HtmlElement, url: str, text: str) -> str:
    """Improve on trafilatura's text of a Chinese page.

    Text in ``<br>``-separated ``<div>``s or table cells defeats trafilatura, and it often
    takes the page's other lists (recommendation streams, the next article) along with the
    article: the densest block of sentences (:func:`densest_block`) wins where trafilatura took
    a smaller block (reader comments in ``<p>``s over an article in lines), took it with the
    page around it, or ran its paragraphs together into a few long lines. Furniture lines and
    a leading ``<h1>`` go.

    :param tree: the parsed page (not modified)
    :param url: the page URL
    :param text: trafilatura's text
    :return: the text, one paragraph per line
    """
    text = _cleaned(text)
    block = densest_block(tree)
    if block is not None:
        block_text = _block_text(block)
        prose_block = paragraph_chars(block_text)
        if prose_block and coverage(text, block_text) >= _HELD:
            if not (prose_block < _LEAD_KEPT * paragraph_chars(text)
                    and _lead_before(tree, block, text, block_text)):
                text = _within(block_text, text)
        elif prose_block:
            bigger = prose_block >= _BIGGER_BLOCK * paragraph_chars(text)
            dump = len(text) > _DUMP_RATIO * len(block_text)
            merged = (
                _MERGED_LINES * text.count("\n") < block_text.count("\n")
                and len(block_text) <= _DUMP_RATIO * len(text)
            )
            if bigger or (coverage(block_text, text) >= _BLOCK_COVERS and (dump or merged)):
                text = block_text
    lines = _without_layout_rows(text.splitlines())
    h1 = " ".join(tree.xpath("string(//h1)").split())
    if lines and h1 and " ".join(lines[0].split()) == h1:
        lines = lines[1:]
    return "\n".join(lines)


def _lead_before(tree: HtmlElement, block: HtmlElement, text: str, block_text: str) -> bool:
    """Whether trafilatura's first sentence line lies outside ``block``, between the page's
    headline and the block: then the block is a box after a short story (a promotion, a
    notice), not the story trafilatura took with the page around it."""
    prose = prose_lines(text)
    heading = headline_element(tree)
    if not prose or heading is None:
        return False
    lead = _SPACE_RE.sub("", prose[0])
    if lead in _SPACE_RE.sub("", block_text):
        return False
    inside = set(block.iter())
    between = []
    for node in heading.xpath("following::text()"):
        parent = node.getparent()
        if parent in inside and not (node.is_tail and parent is block):
            break
        between.append(node)
    return lead[:_LEAD_PREFIX] in _SPACE_RE.sub("", "".join(between))


def article_headline(tree: HtmlElement, title: str | None) -> str | None:
    """:func:`headline`, or where that names only the site (a page titled by its slogan,
    with no ``<h1>`` of its own) the heading just before the densest block of sentences; on
    a page with no such heading (a table layout), the short line just before it."""
    found = headline(tree, title)
    if found and names_the_site(tree, found):
        block = densest_block(tree)
        if block is None or paragraph_chars(_block_text(block)) < _STORY_CHARS:
            return found
        before = block.xpath("preceding::*[self::h1 or self::h2 or self::h3][1]")
        if before:
            text = " ".join(before[0].text_content().split())
            furniture = bool(before[0].xpath(_FURNITURE_XPATH))
        else:
            text, furniture = _line_before(block), False
        if (len(text) >= MIN_HEADLINE and not names_the_site(tree, text)
                and not furniture and not _TRAIL_RE.search(text)):
            return text
    return found


def _line_before(block: HtmlElement) -> str:
    """The text of the element just before ``block`` when it reads as a headline: a short
    line of its own, not a link's, not a clause, not the page's furniture; else ""."""
    for element in reversed(block.xpath(_TEXT_BEFORE_XPATH)):
        if element.tag in _NOT_SHOWN:
            continue
        text = " ".join((element.text or "").split())
        if (element.xpath("ancestor-or-self::a") or len(text) > _LINE_HEADLINE_MAX
                or _CLAUSE_END_RE.search(text) or element.xpath(_FURNITURE_XPATH)):
            return ""
        return text
    return ""


# A sidebar's or a menu's heading ("編輯精選"), a breadcrumb trail ("首頁 > 政治 > 焦點")
_FURNITURE_XPATH = ("ancestor-or-self::*[self::nav or self::aside or self::header or self::footer"
                    " or contains(@class, 'side') or contains(@class, 'crumb')"
                    " or contains(@class, 'menu') or contains(@id, 'side')]")
_TRAIL_RE = re.compile(r"\s[>»›/]\s")
_STORY_CHARS = 300  # a teaser's excerpt is shorter: its heading is no headline of the page
# The elements with text of their own just before the story, nearest last; a headline line
# is at most this long and ends without a clause's punctuation.
_TEXT_BEFORE_XPATH = "preceding::*[normalize-space(text())][position() <= 6]"
_NOT_SHOWN = frozenset({"script", "style", "noscript", "option", "template"})
_LINE_HEADLINE_MAX = 60
_CLAUSE_END_RE = re.compile(r"[。！？!?，,；;：:]$")


def densest_text(tree: HtmlElement) -> str | None:
    """The text of the page's densest block of sentences (:func:`densest_block`), one
    paragraph a line, where it holds prose; else None."""
    block = densest_block(tree)
    if block is None:
        return None
    text = _block_text(block)
    return text if paragraph_chars(text) else None


def _block_text(block: HtmlElement) -> str:
    return _cleaned("\n".join(block_lines(block)))


def _without_layout_rows(lines: list[str]) -> list[str]:
    """The lines without the rows of a layout table: trafilatura writes table rows as
    ``| cell | cell |``, and an old page laid out in tables repeats the article, met as
    paragraphs before, in a cell. A table (a run of rows) with such a row is layout: that row
    goes, and its rows without a sentence (the menu, the date, 轉寄 | 列印) with it; prose rows
    and every other table stay."""
    kept: list[str] = []
    before = ""  # the paragraphs met so far
    index = 0
    while index < len(lines):
        if not _is_row(lines[index]):
            kept.append(lines[index])
            before += "\n" + lines[index]
            index += 1
            continue
        end = index
        while end < len(lines) and _is_row(lines[end]):
            end += 1
        table = lines[index:end]
        repeats = [_repeats(row, before) for row in table]
        if any(repeats):
            table = [row for row, repeated in zip(table, repeats, strict=True)
                     if not repeated and prose_lines(row.strip("| "))]
        kept += table
        index = end
    return kept


def _repeats(row: str, before: str) -> bool:
    cells = row.replace("|", " ")
    return (len(_SPACE_RE.sub("", cells)) >= _ROW_REPEATS and bool(prose_lines(cells))
            and coverage(before, cells) >= _HELD)


def _is_row(line: str) -> bool:
    return line.startswith("|") and line.rstrip().endswith("|")
