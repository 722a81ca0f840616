"""Teaser cards: other stories' headlines and summaries that trafilatura may keep as
paragraphs of this article (:func:`card_paragraphs`), filtered from its output.

- a paragraph inside a link to elsewhere (``<a href><h3>headline</h3><p>summary</p></a>``);
- the one or two paragraphs beside a heading that links another page of the site, unless
  the heading is an item of a list whose like items link other sites (a roundup);
- a summary ending with a "more »" link to the story its headline links too.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.text.blocks import all_link

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["card_paragraphs"]


# --------------------------------------------------------------------------- link cards

# A card is short: a link wrapping more is an article wrapped in an unclosed <a> by mistake.
_CARD_CHARS = 1500
_CARD_PARAGRAPHS = 2
# A link to another page: not to a place on this one, not a script's
_TO_A_PAGE = "[@href][not(starts-with(@href, '#'))][not(starts-with(@href, 'javascript:'))]"
_LINK_CARDS = f"//a{_TO_A_PAGE}[.//p]"
_LINKED_HEADINGS = f"//*[self::h2 or self::h3 or self::h4][a{_TO_A_PAGE}]"


def card_paragraphs(tree: HtmlElement, url: str | None = "") -> set[str]:
    """The summaries (and linked headlines) of other stories' teaser cards, which trafilatura
    may keep as paragraphs of this article: paragraphs inside a link to elsewhere
    (``<a href><h3>headline</h3><p>summary</p></a>``), and the one or two paragraphs beside a
    heading that links another page of the site (``<div><h2><a href>headline</a></h2><p>
    excerpt</p></div>``). An article's own paragraphs hold links, not the reverse, its
    linked subheadings stand among many paragraphs, and a buying guide's items link other
    sites (the shops) or say their links are sponsored. The paragraphs' and the cards' whole
    texts, without their white space (a card's parts run together in its markup)."""
    found = set()
    for link in tree.xpath(_LINK_CARDS):
        paragraphs = link.xpath(".//p")
        if _is_card(link, paragraphs):
            found.update("".join(p.text_content().split()) for p in paragraphs)
            found.add("".join(link.text_content().split()))  # a list item's line: the card
    host = _site(_hostname(url or ""))  # a saved page may come without its URL
    headings = tree.xpath(_LINKED_HEADINGS)
    roundup = _roundup_headings(headings, host)
    for heading in headings:
        if (heading in roundup or not all_link(heading)
                or any(_to_a_shop(a, host) for a in heading.iter("a"))):
            continue
        container = heading.getparent()
        for _ in range(2):
            if container is None:
                break
            paragraphs = container.xpath(".//p")
            if paragraphs:
                if _is_card(container, paragraphs):
                    found.update("".join(p.text_content().split()) for p in paragraphs)
                    found.add("".join(heading.text_content().split()))
                break
            container = container.getparent()
    found |= _more_link_cards(tree)
    found.discard("")
    return found


# The link a teaser ends with, to the story its headline links too ("more »", "Read more...").
_MORE_LINK_RE = re.compile(
    r"(?:read |see |view )?more|full story|continue reading|lire la suite|la suite|suite",
    re.IGNORECASE)
_MORE_LINK_CHARS = "»›>.…[]()+ \u00a0"
_CARD_LEVELS = 3
# (the links worth reading: short ones that say "more", "story", "reading" or "suite")
_MORE_LINKS = (
    f"//a{_TO_A_PAGE}[string-length(normalize-space(.)) < 25]"
    "[contains(translate(., 'MORESTYADING', 'morestyading'), 'more')"
    " or contains(translate(., 'MORESTYADING', 'morestyading'), 'story')"
    " or contains(translate(., 'MORESTYADING', 'morestyading'), 'reading')"
    " or contains(., 'suite')]"
)


def _more_link_cards(tree: HtmlElement) -> set[str]:
    """The summaries and headlines of teasers that end with a "more »" link to the story
    their headline links too (``<dt><a href=X>headline</a></dt><dd>summary <a href=X>more
    »</a></dd>``): an article's paragraph may end with a link, not with a second one to a
    page a headline beside it links. A headline is a heading's or a ``<dt>``'s link, or all
    of its parent's text (not a link inside a sentence: "the <a>Times reports</a> that")."""
    more_links = [link for link in tree.xpath(_MORE_LINKS) if _says_more(link)]
    if not more_links:
        return set()
    wanted = {link.get("href") for link in more_links}
    own = _own_headlines(tree)
    skip = set(more_links)
    headlines: dict[str, list[HtmlElement]] = {}
    for anchor in tree.xpath(f"//a{_TO_A_PAGE}"):
        href = anchor.get("href")
        if href in wanted and anchor not in skip and _is_headline_link(anchor):
            headlines.setdefault(href, []).append(anchor)
    found = set()
    for link in more_links:
        summary = link.getparent()
        levels = [summary, *summary.iterancestors()][:_CARD_LEVELS]
        candidates = [(headline, set(headline.iterancestors()))
                      for headline in headlines.get(link.get("href"), [])[:_CARD_CANDIDATES]]
        # the nearest container holding a headline too is the card
        card = next(((level, headline) for level in levels
                     for headline, ancestors in candidates if level in ancestors), None)
        if card is None or len(" ".join(card[0].text_content().split())) > _CARD_CHARS:
            continue
        titles = {"".join(other.text_content().split()) for other in headlines[link.get("href")]
                  if _flat(other.text_content()) in own}
        if titles:  # a teaser of this very article: its summary is the article's opening
            found |= titles
            continue
        headline = card[1]
        found.add("".join(summary.text_content().split()))
        found.add("".join(headline.text_content().split()))
        found.add("".join(headline.getparent().text_content().split()))
    return found


# The page's own headline, which a list of the site's latest stories may show as a teaser
# like the others: that teaser's summary is this article's opening, not another story's.
# (not its <h1>s: some sites print other stories' headlines in <h1>s too)
_OWN_TITLES = '//meta[@property="og:title" or @name="twitter:title"]/@content | //title/text()'
_TITLE_SPLIT_RE = re.compile(r"\s+(?:[-|–—:»]|::)\s+")


def _flat(text: str) -> str:
    return "".join(text.split()).casefold()


def _own_headlines(tree: HtmlElement) -> set[str]:
    own = set()
    for text in tree.xpath(_OWN_TITLES):
        own.add(_flat(text))
        # "Headline - Section - Site": the longest part is the headline
        own.add(_flat(max(_TITLE_SPLIT_RE.split(text), key=len)))
    own.discard("")
    return own


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})
_CARD_CANDIDATES = 10


def _says_more(anchor: HtmlElement) -> bool:
    label = " ".join(anchor.text_content().split()).strip(_MORE_LINK_CHARS)
    return _MORE_LINK_RE.fullmatch(label) is not None


def _is_headline_link(anchor: HtmlElement) -> bool:
    if not anchor.text_content().strip() or _says_more(anchor):
        return False
    parent = anchor.getparent()
    return parent is not None and (parent.tag in _HEADING_TAGS or all_link(parent))


def _to_a_shop(anchor: HtmlElement, host: str | None) -> bool:
    """Whether a link leaves the site: another site's, or an affiliate link through the
    site's own redirect (``rel="sponsored"``)."""
    return (_site(_hostname(anchor.get("href", ""))) not in (None, host)
            or "sponsored" in (anchor.get("rel") or "").split())


def _hostname(href: str) -> str | None:
    try:
        return urlsplit(href.strip()).hostname  # None for a relative link: this site
    except ValueError:
        return None


# Not frontier.scope.registered_domain (the public suffix list): text sits below every stage
# (tests/test_layout.py), so the site is told here by its last labels, which is near enough
# for telling a teaser linking this site from an item linking a shop.
_SECOND_LEVEL = frozenset({"com", "co", "net", "org", "gov", "edu", "ac", "or", "ne", "go"})


def _site(hostname: str | None) -> str | None:
    """The site a host belongs to, near enough: ``news.bbc.co.uk`` -> ``bbc.co.uk``."""
    if not hostname:
        return None
    if ":" in hostname or hostname.replace(".", "").isdigit():
        return hostname  # an IP address is its own site
    labels = hostname.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _roundup_headings(headings: list[HtmlElement], host: str | None) -> set[HtmlElement]:
    """The headings that are items of a list whose like items link other sites (a roundup of
    projects, a buying guide): the items of one list look alike, and a list of the site's
    teasers links the site only. A heading's list is its nearest ancestor holding another
    heading of its tag and class."""
    below: dict[tuple, list[HtmlElement]] = {}
    chains = {}
    for heading in headings:
        signature = (heading.tag, heading.get("class"))
        chains[heading] = [(ancestor, signature) for ancestor in
                           itertools.islice(heading.iterancestors(), _ROUNDUP_LEVELS)]
        for key in chains[heading]:
            below.setdefault(key, []).append(heading)
    found = set()
    for heading, chain in chains.items():
        peers = next((below[key] for key in chain if len(below[key]) > 1), [])
        if any(_to_a_shop(a, host) for peer in peers for a in peer.iter("a")):
            found.add(heading)
    return found


# how far above its heading a roundup's list may be (heading, item body, item, list)
_ROUNDUP_LEVELS = 4


def _is_card(element: HtmlElement, paragraphs: list[HtmlElement]) -> bool:
    return (len(paragraphs) <= _CARD_PARAGRAPHS
            and len(" ".join(element.text_content().split())) <= _CARD_CHARS)
