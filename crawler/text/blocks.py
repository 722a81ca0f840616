"""The DOM side of a page: blocks of text, their density, comments, continued articles.

- :func:`block_lines` turns a container into lines, one per block (``<p>``, ``<div>``,
  ``<br>``...), leaving out hidden elements and link-only lines (related-article lists).
- :func:`prune_comments` removes reader-comment sections trafilatura's patterns miss.
- :func:`densest_block` finds the element holding most sentence text, for pages where
  trafilatura falls back to the whole page (text in ``<br>``-separated ``<div>`` or
  ``<td>`` cells) or takes the page's other lists along.
- :func:`article_continuation` follows a Latin-script article cut into sibling chunks.
- :func:`prune_next_articles` removes the articles an endless-scroll page appends after its own.

Teaser cards are :mod:`crawler.text.cards`; headlines are :mod:`crawler.text.headlines`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from crawler.text.headlines import headline_element
from crawler.text.lines import CJK_SENTENCE_PUNCT_RE

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["all_link", "article_continuation", "block_lines", "densest_block", "link_list",
           "prune_comments", "prune_next_articles"]

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "iframe", "button", "input", "select", "textarea",
     "svg", "template", "object", "embed", "canvas", "video", "audio"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
     "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
     "blockquote", "figure", "figcaption", "table", "tr", "pre", "hr", "center", "address"}
)  # fmt: skip
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_LINK_LINE_MAX = 80
_HASHTAGS_RE = re.compile(r"(?:\s*#[^#\n]{1,40}#)+\s*")


def _hidden(element: HtmlElement) -> bool:
    return bool(_HIDDEN_RE.search(element.get("style") or "")) or element.get("hidden") is not None


def block_lines(container: HtmlElement, links: bool = False) -> list[str]:
    """The text of a container, one line per block; hidden parts and link-only lines left out.

    The container's own inline style is ignored (WeChat hides the whole body until a script
    runs); hidden elements inside it are skipped. A line whose text all comes from links and
    is short is taken for a related-article item and skipped.
    """
    lines: list[str] = []
    parts: list[tuple[str, bool]] = []  # (text, inside a link)

    def flush() -> None:
        text = " ".join("".join(t for t, _ in parts).split())
        linked = "".join(t for t, in_link in parts if in_link).strip()
        link_only = (
            linked
            and len(" ".join(linked.split())) == len(text)
            and len(text) <= _LINK_LINE_MAX
            and not _HASHTAGS_RE.fullmatch(text)  # a social post's #topics# are its text
        )
        if text and (links or not link_only):
            lines.append(text)
        parts.clear()

    def walk(node: HtmlElement, in_link: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag and tag not in _SKIP_TAGS and not _hidden(node):
            block = tag in _BLOCK_TAGS or tag in ("br", "td", "th")
            if block and tag not in ("td", "th"):
                flush()
            if node.text:
                parts.append((node.text, in_link or tag == "a"))
            for child in node:
                walk(child, in_link or tag == "a")
            if tag in ("td", "th"):
                parts.append((" ", False))
            elif block:
                flush()
        if node.tail:
            parts.append((node.tail, in_link))

    if container.text:
        parts.append((container.text, False))
    for child in container:
        walk(child, False)
    flush()
    return lines


_COMMENT_TOKEN_RE = re.compile(r"(?:^|[-_\s])(?:comments?|pinglun)(?:[-_\s]|$)", re.IGNORECASE)
_COMMENT_MAX_SHARE = 0.5


def prune_comments(tree: HtmlElement) -> None:
    """Remove reader-comment sections named so (``index_comment__x``, ``blk-comment``...).

    An element holding the page's ``<h1>`` or half of its text is never removed.
    """
    body = tree.find("body")
    total = len((body if body is not None else tree).text_content())
    doomed = []
    for element in tree.iter("div", "section", "aside", "ul", "ol"):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not _COMMENT_TOKEN_RE.search(names):
            continue
        if element.find(".//h1") is not None:
            continue
        if len(element.text_content()) > _COMMENT_MAX_SHARE * total:
            continue
        doomed.append(element)
    for element in doomed:
        if element.getparent() is not None and not any(
            ancestor in doomed for ancestor in element.iterancestors()
        ):
            element.drop_tree()


_INLINE_TAGS = frozenset(
    {"a", "span", "strong", "b", "em", "i", "u", "font", "br", "img", "sup", "sub", "small",
     "big", "code", "mark", "label", "abbr", "cite", "q", "s", "del", "ins", "time", "wbr"}
)  # fmt: skip
_PARAGRAPH_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})
_CONTAINER_TAGS = frozenset({"div", "td", "section", "article", "main", "font", "center"})
_MIN_OWN_CHARS = 20


# Text of page furniture that reads like prose: copyright and licence notices.
_LEGAL_TEXT_RE = re.compile(
    r"版权所有|版權所有|Copyright|©|ICP[备證证]|(?:未经|未經).{0,12}(?:授权|授權|许可|許可)"
    r"|All Rights Reserved",
    re.IGNORECASE,
)
# A paragraph inside a list item that links a title this long is a teaser (a recommendation
# stream, "more stories"), not article text.
_TEASER_LINK_CHARS = 8
_TEASER_DEPTH = 4
# Blocks before the headline, or after the start of another article (a later <h1>), count
# for this share of their score.
_OFF_ARTICLE = 0.2
_CANDIDATES = 8


def _own_text(element: HtmlElement) -> tuple[str, int]:
    """(the text an element holds itself, inline children included and block children left
    out; how many of its characters are inside links)."""
    parts = [element.text or ""]
    linked = 0
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE_TAGS:
            text = child.text_content()
            parts.append(text)
            if tag == "a" or child.find(".//a") is not None:
                linked += len(text.strip())
        parts.append(child.tail or "")
    return "".join(parts), linked


def _teaser_item(element: HtmlElement, cache: dict[HtmlElement, bool]) -> bool:
    for depth, ancestor in enumerate(element.iterancestors()):
        if depth >= _TEASER_DEPTH:
            return False
        if ancestor.tag == "li":
            if ancestor not in cache:
                cache[ancestor] = any(
                    len(link.text_content().strip()) >= _TEASER_LINK_CHARS
                    for link in ancestor.iter("a")
                    if link.get("href") and element not in link.iterancestors()
                )
            return cache[ancestor]
    return False


def _block_scores(tree: HtmlElement) -> dict[HtmlElement, float]:
    skipped = {node for skip in tree.iter(*_SKIP_TAGS) for node in skip.iter()}
    teasers: dict[HtmlElement, bool] = {}
    scores: dict[HtmlElement, float] = {}
    for element in tree.iter(*(_PARAGRAPH_TAGS | _CONTAINER_TAGS)):
        if element in skipped:
            continue
        text, linked = _own_text(element)
        own = len("".join(text.split())) - linked
        if own < _MIN_OWN_CHARS or linked > own or _LEGAL_TEXT_RE.search(text):
            continue
        if _teaser_item(element, teasers):
            continue
        weight = 1 + min(len(CJK_SENTENCE_PUNCT_RE.findall(text)), 10) / 10
        score = own * weight
        parent = element.getparent()
        if element.tag in _PARAGRAPH_TAGS:
            first, second = parent, parent.getparent() if parent is not None else None
        else:
            first, second = element, parent
        if first is not None:
            scores[first] = scores.get(first, 0) + score
        if second is not None:
            scores[second] = scores.get(second, 0) + score / 2
    for page_level in (tree, tree.find("body")):
        scores.pop(page_level, None)  # the whole page is no block
    return scores


def _position(node: HtmlElement) -> int:
    # Document order, counted by libxml2: a few nodes are placed, not the whole tree walked.
    return int(node.xpath("count(preceding::*) + count(ancestor::*)"))


def _off_article(tree: HtmlElement, heading: HtmlElement, candidates: list[HtmlElement]) -> set:
    start = _position(heading)
    around = set(heading.iterancestors())
    others = [position for h1 in tree.iter("h1")
              if h1 is not heading and (position := _position(h1)) > start]
    off = set()
    for block in candidates:
        if block in around:
            continue  # holds the headline
        position = _position(block)
        before = position < start
        # another article's <h1> comes between the headline and the block, or inside it
        other_article = any(start < other <= position for other in others) or any(
            h1 is not heading for h1 in block.iter("h1"))
        if before or other_article:
            off.add(block)
    return off


def densest_block(tree: HtmlElement) -> HtmlElement | None:
    """The element that holds most sentence text, readability-style, or None.

    Paragraphs (``<p>``, ``<li>``...) credit their parent fully and their grandparent by
    half; containers holding text themselves (a ``<div>`` or ``<td>`` of ``<br>``-separated
    lines) credit themselves and, by half, their parent. Copyright notices and teasers
    (paragraphs in list items that link another article's title) credit nothing. Where the
    page's headline is found, a block before it or after another article's ``<h1>`` counts
    for a fifth.
    """
    scores = _block_scores(tree)
    if not scores:
        return None
    candidates = sorted(scores, key=scores.__getitem__, reverse=True)[:_CANDIDATES]
    heading = headline_element(tree)
    if heading is not None:
        off = _off_article(tree, heading, candidates)
        for block in off:
            scores[block] *= _OFF_ARTICLE
    return max(candidates, key=scores.__getitem__)


# --------------------------------------------------------------------------- continuations

# A paragraph, for following an article across its chunks: this many characters or more.
_CHUNK_PARAGRAPH = 80
# Paragraphs trafilatura must have kept, and left out after them, before a chunk is followed.
_CHUNK_KEPT = 3
_CHUNK_LEFT = 3
# A summary cut short for a teaser card: a word, then an ellipsis, and nothing after it.
_CUT_SHORT_RE = re.compile(r"\w(?:\.\.\.|…)$")


# An element whose text is this share link text is a link, whatever wraps it.
_ALL_LINK = 0.8


def all_link(element: HtmlElement) -> bool:
    linked = sum(len("".join(link.text_content().split())) for link in element.iter("a"))
    return linked >= _ALL_LINK * len("".join(element.text_content().split()))


def article_continuation(tree: HtmlElement, text: str) -> list[str]:
    """The paragraphs of an article split into sibling chunks that trafilatura left out.

    Sites that place ads or embeds inside the body cut it into containers of the same kind
    (``div.body__inner-container`` three times): trafilatura keeps the first and drops the
    rest. Paragraphs after the last one it kept whose parent is another element of the same
    tag and class as the kept paragraphs' parents continue the article, when there are at
    least :data:`_CHUNK_LEFT` of them (a lone promotion paragraph does not), and not two
    thirds of them cut short with an ellipsis (teaser summaries). A paragraph that is all link text
    is a teaser, never part of the article, and one in a footer, aside or navigation the
    article is not in is the page's.
    """
    kept = {" ".join(line.split()) for line in text.splitlines() if line.strip()}
    paragraphs = []
    for paragraph in tree.iter("p"):
        value = " ".join(paragraph.text_content().split())
        # all link: another article's headline (a recirculation card), maybe this one's own
        if len(value) >= _CHUNK_PARAGRAPH and not all_link(paragraph):
            paragraphs.append((paragraph, value))
    # a paragraph the page says twice (a live blog quoting a reader's comment, which stands
    # again among the comments) tells neither where the article is nor what holds it
    said = Counter(value for _, value in paragraphs)
    inside = [i for i, (_, value) in enumerate(paragraphs) if value in kept and said[value] == 1]
    # (a pull quote repeating a kept paragraph still counts towards the kept ones)
    if not inside or len({value for _, value in paragraphs if value in kept}) < _CHUNK_KEPT:
        return []
    def kind(paragraph: HtmlElement) -> tuple[str, str | None]:
        return paragraph.getparent().tag, paragraph.getparent().get("class")

    kinds = {kind(paragraphs[i][0]) for i in inside if kind(paragraphs[i][0])[1]}
    last_parent = paragraphs[inside[-1]][0].getparent()
    around = set(last_parent.iterancestors())
    left = [value for paragraph, value in paragraphs[inside[-1] + 1:]
            if value not in kept and paragraph.getparent() is not last_parent
            and kind(paragraph) in kinds and not _in_page_furniture(paragraph, around)]
    # a paragraph of <br>-parted lines trafilatura kept as those lines, one after another
    lines = ["".join(line.split()) for line in text.splitlines() if line.strip()]
    runs = {"".join(lines[i:i + n]) for i in range(len(lines)) for n in range(2, _BR_LINES + 1)}
    left = [value for value in left if "".join(value.split()) not in runs]
    cut_short = sum(bool(_CUT_SHORT_RE.search(value)) for value in left)
    return left if len(left) >= _CHUNK_LEFT and 3 * cut_short < 2 * len(left) else []


_FURNITURE_TAGS = frozenset({"footer", "aside", "nav"})
_BR_LINES = 8


def _in_page_furniture(paragraph: HtmlElement, around: set[HtmlElement]) -> bool:
    """Whether a paragraph stands in a footer, an aside or a navigation the article is not
    in (a site's footer built of the same blocks as its articles)."""
    return any(element.tag in _FURNITURE_TAGS and element not in around
               for element in paragraph.iterancestors())


# --------------------------------------------------------------------------- next articles

_ARTICLES_WITH_HEADLINES = "//article[.//h1]"


def prune_next_articles(tree: HtmlElement) -> None:
    """Remove the ``<article>`` elements with an ``<h1>`` of their own that follow the one
    holding the page's headline: the next stories of an endless-scroll page, which
    trafilatura takes for one article with this one. Nothing goes unless the page's headline
    is found inside an article of its own."""
    articles = tree.xpath(_ARTICLES_WITH_HEADLINES)
    if len(articles) < 2:
        return
    outermost = [a for a in articles if not any(b in articles for b in a.iterancestors())]
    heading = headline_element(tree) if len(outermost) >= 2 else None
    if heading is None:
        return
    own = next((a for a in outermost if heading in a.iterdescendants()), None)
    if own is None:
        return
    start = _position(own)
    for article in outermost:
        if article is not own and _position(article) > start:
            article.drop_tree()


# A text whose lines are mostly the page's own links (headlines of a list or section page,
# teaser cards) is no article: on 560 article pages the share was at most 0.15 (README).
_LINK_LIST_SHARE = 0.6
_LINK_LIST_LINES = 8  # a list has many: a forum post of one attachment link is no list
_LINK_TEXT_MIN = 4


def link_list(tree: HtmlElement, text: str) -> bool:
    """Whether ``text`` is mostly lines that are the texts of the page's own links."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < _LINK_LIST_LINES:
        return False
    anchors = {
        label for link in tree.iter("a")
        if len(label := " ".join(link.text_content().split())) >= _LINK_TEXT_MIN
    }
    linked = [line for line in lines if line in anchors]
    return (len(linked) >= _LINK_LIST_LINES
            and sum(map(len, linked)) >= _LINK_LIST_SHARE * sum(map(len, lines)))
