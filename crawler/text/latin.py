"""Line-level cleaning of Latin-script article text: the furniture lines trafilatura keeps.

News sites in English and French put lines inside the article container that are not the
article: cross-links ("Read more: ...", "À lire aussi ..."), advertising and section labels
("Advertisement", "Article content"), newsletter and follow prompts, tip-line and copyright
lines, credit lines ("Reporting by ...", "... contributed to this report"), affiliate and
paywall notices, photo credits, lines without a word, related-article cards whose headline
is printed twice, the list under a link box's heading ("Most Popular"), and the byline.
:func:`clean_latin_lines` drops them, each only as a whole, short line, so a paragraph that
mentions them stays. Two readings of the page help it and the caller: the names the page
marks as its author's (:func:`marked_bylines`) and the author's biography box
(:func:`author_bios`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["author_bios", "clean_latin_lines", "marked_bylines"]

# Furniture is short: a longer line is a paragraph, whatever it starts with.
_FURNITURE_MAX = 200

_CROSS_LINK_RE = re.compile(
    r"^(?:read more|read also|also read|read next|see also|more on this(?: story)?"
    r"|related(?: articles?| stories| coverage| content)?|recommended(?: reading)?"
    r"|lire aussi|à lire aussi|a lire aussi|voir aussi|à voir aussi|lire la suite)"
    r"(?:\s*[:：|»>–—-]|\s*$)"
    # French sites print "À lire aussi" before the linked headline without a colon
    r"|^(?:à|a) lire aussi\s",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content| links)?|online"
    r"|story continues below(?: advertisement)?|continue reading(?: below)?|skip advertisement"
    r"|article content|recommended videos?"
    r"|related (?:internet links|topics|videos)|most popular|popular|trending(?: now)?"
    r"|publicité|passer la publicité"
    # the headings of link boxes whose links trafilatura drops
    r"|share tools|user tools|share this(?: article| story| post)?|related links|external links"
    r"|news sections|most (?:viewed|read|talked about)(?: news)?(?: stories)?"
    r"|(?:top|latest|today's|breaking|more|other)(?: [\w'’-]+){0,2} (?:news )?headlines"
    # a byline's word whose name, a link, went
    r"|by|par)[.:]?$",
    re.IGNORECASE,
)
# A line that only dates the article ("16 January 2012 Last updated at 11:07 GMT", "Posted:
# Jan 11, 2012 4:47 PM CST", "Publié le 3 mars 2024 à 14h05"): each word one of these.
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|février|mars"
           r"|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
_DAYS = (r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?"
         r"|sat(?:urday)?|sun(?:day)?|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche")
_DATE_WORD_RE = re.compile(
    rf"(?:{_MONTHS}|{_DAYS})\.?,?"
    r"|\d{1,4}(?:st|nd|rd|th|er)?[,.]?|\d{1,4}(?:[/.:-]\d{1,4}){1,2}[,.]?|\d{1,2}h\d{2}"
    r"|[ap]\.?m\.?,?|(?:gmt|bst|utc|cet|cest|[ecmp][sd]t|et|pt|ct)[,.]?"
    r"|posted|updated|last|first|published|modified|publié|mis|à|jour|le|on|at|[|:,–—-]"
    r"|posted:|updated:|published:",
    re.IGNORECASE,
)
_DATELINE_MAX = 80
# The headings of link boxes: the list under one is the box's links, not the article's.
# (of links: "Related symptoms" and "Most popular baby names" head the article's own lists)
_LINKED = (r"(?:news )?(?:stories|articles|news|posts|videos|links|content|coverage|reading|reads"
           r"|topics|headlines)")
_LINK_BOX_RE = re.compile(
    r"^(?:most (?:popular|viewed|read|shared|emailed|commented|talked about)"
    rf"(?: {_LINKED}| now| today| this week| (?:in|on) [\w'’-]+(?: [\w'’-]+)?)?"
    rf"|popular(?: now| stories| news)?|trending(?: now| stories)?|related(?: {_LINKED})?"
    rf"|see also|more on this(?: story)?|recommended(?: for you| {_LINKED})?|(?:top|latest|today's"
    r"|breaking|more|other)(?: [\w'’-]+){0,2} (?:news )?(?:headlines|stories)"
    r"|à lire aussi|a lire aussi|lire aussi|voir aussi|les plus (?:lus|partagés|commentés))"
    r"[.:]?$",
    re.IGNORECASE,
)
# ...and one of them dates: a month's or a day's name, a full numeric date, a time with its
# zone or half of the day; or all of them are labels ("Posted | Updated").
_DATING_RE = re.compile(
    rf"^(?:(?:{_MONTHS}|{_DAYS})\.?,?|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}[,.]?"
    r"|[ap]\.?m\.?,?|(?:gmt|bst|utc|cet|cest|[ecmp][sd]t)[,.]?|\d{1,2}h\d{2})$",
    re.IGNORECASE,
)
_DATE_LABEL_RE = re.compile(r"^(?:posted|updated|published|[|])[:]?$", re.IGNORECASE)
# A dateline is printed above or below the article, before its first paragraph of prose or
# after its last: a line of dates between them is a timeline's subhead, a live blog's time.
_PROSE_CHARS = 80
# ...unless it says it stamps the article ("Last updated at 9:07 AM on 16th January 2012").
_STAMP_RE = re.compile(r"\b(?:posted|updated|published|modified|publié|mis à jour)\b",
                       re.IGNORECASE)
_PROMPT_RE = re.compile(
    r"^(?:sign up|subscribe|register)\b.{0,120}\b(?:newsletters?|inbox|e-?mails?|alerts|updates"
    r"|breaking news|deals)\b"
    r"|^follow\b.{0,80}\bon (?:facebook|twitter|x|instagram|google news|linkedin|tiktok|youtube"
    r"|whatsapp|threads|bluesky)\b"
    r"|^(?:listen to|écoutez|écouter)\b.{0,80}\b(?:on|sur) (?:spotify|apple podcasts"
    r"|google podcasts|amazon music|deezer)\b|^.{0,120}\bwherever you get your podcasts\b"
    # the US opt-out notice of a consent banner
    r"|^(?:us residents can opt out\b|do not sell (?:or share )?my personal information)"
    r"|^(?:copyright\s*)?©\s*(?:copyright\s*)?(?:\d{4}|[a-z])|^copyright\s+\d{4}"
    # a comment widget's own lines, under the article
    r"|^you must confirm your public display name before commenting"
    r"|^please log ?out and then log ?in again, you will then be prompted"
    r"|^(?:blog )?comments powered by disqus"
    r"|^follow (?:me|us)(?: on twitter)?:\s*(?:@|(?:https?://)?(?:www\.)?(?:twitter|x)\.com/)"
    # a blog post's filing line, a link disclaimer
    r"|^(?:posted in|filed under|tags|tagged):\s"
    r"|^.{0,80}\bnot responsible for the content of external"
    r" (?:links|sites|internet sites|websites)\b",
    re.IGNORECASE,
)
# No sentence ends inside ("St." and "H." may end a name's part)
_NO_SENTENCE = r"(?!.*(?-i:[a-z]{2})[.!?]\s)"
# A heading of the site's teasers after the article: the article has ended
_ENDING_RE = re.compile(
    r"^(?:you (?:may|might) (?:also )?(?:like|enjoy)|related posts|also on (?P<site>.{1,40}?))"
    r"[.:!]?$", re.IGNORECASE)
# Credit lines (the conventions leave them out), affiliate disclosures, paywall remainders
_CREDIT_RE = re.compile(
    r"^[-—–]?\s*(?:additional )?(?:reporting|writing|editing|compiled|translated) by\b"
    r"|contributed (?:to )?(?:this|the) report\.?$"
    # credits name people and agencies, and make no sentence ("Source: the ministry. It ...")
    rf"|^with files from\s{_NO_SENTENCE}.{{1,120}}$"
    # a wire story's revision note: "(Updates with statement from ministry in 22nd paragraph.)"
    r"|^\(updates? with\b.*\)$"
    # a photo's credit or a press release's source on its own line: "Photo: AFP"
    r"|^(?:photo|photograph|picture|image|credit|photo credit|image credit|source)s?\s*:\s*"
    rf"{_NO_SENTENCE}(?:\S+\s*){{1,10}}$"
    r"|affiliate commission|may earn (?:us )?a commission"
    r"|réservée aux abonnés|for subscribers only|subscribe to (?:continue|keep) reading"
    r"|story continues below",
    re.IGNORECASE,
)
_NO_WORD_RE = re.compile(r"^[\W_]+$")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_TIP_RE = re.compile(
    r"\b(?:story|stories|tips?|get in touch|contact|e-?mail|courriel)\b", re.IGNORECASE)


def _is_furniture(line: str) -> bool:
    if len(line) > _FURNITURE_MAX:
        return False
    if _CROSS_LINK_RE.match(line) or _LABEL_RE.match(line) or _PROMPT_RE.match(line):
        return True
    if _CREDIT_RE.search(line) or _NO_WORD_RE.match(line):
        return True
    if _EMAIL_RE.search(line) and _TIP_RE.search(line):
        return True
    # a related-article card: its headline twice ("Mike Johnson's Deal Mike Johnson's Deal")
    words = line.split()
    half = len(words) // 2
    return half >= 3 and len(words) % 2 == 0 and words[:half] == words[half:]


def _is_dateline(line: str) -> bool:
    words = line.split()
    return (len(line) <= _DATELINE_MAX and bool(words)
            and all(_DATE_WORD_RE.fullmatch(word) for word in words)
            and ((any(_DATING_RE.match(word) for word in words)
                  and any(ch.isdigit() for ch in line))
                 or all(_DATE_LABEL_RE.match(word) for word in words)))


def clean_latin_lines(lines: list[str], sitename: str | None = None,
                      author: str | None = None, bylines: list[str] | None = None) -> list[str]:
    """The lines of a Latin-script article that are article text (see the module docstring).

    A line "More from <the site's name>", or a teaser heading ("You may also like",
    "Related posts", "Also on <site>") after the first paragraph, and the teasers after it
    end the article; a byline
    (a short line naming the author, or "By" and names where no author is known) among its
    first lines goes, and so does a line that is a name the page marks as its author's,
    wherever it is; a line that only dates the article goes before its first paragraph or
    after its last, or anywhere when it says it is the article's stamp ("Last updated").

    :param lines: the text's lines, stripped
    :param sitename: the site's name, as the page's metadata gives it
    :param author: the article's author(s), ``;``-separated, as extracted
    :param bylines: the names the page marks as its author's (:func:`marked_bylines`)
    """
    lines = _without_link_boxes(lines[:_article_end(lines, sitename)])
    names = [name.strip() for name in (author or "").split(";") if len(name.strip()) >= 4]
    marked = {name for name in bylines or () if len(name) >= 4}
    prose = [index for index, line in enumerate(lines) if len(line) >= _PROSE_CHARS]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    return [line for index, line in enumerate(lines) if not _is_furniture(line)
            and not ((index < first or index > last or _STAMP_RE.search(line))
                     and _is_dateline(line))
            and not (index < _BYLINE_LINES and _is_byline(line, names))
            and _MARKED_BY_RE.sub("", line) not in marked]


def _article_end(lines: list[str], sitename: str | None) -> int:
    """Where the site's teasers begin: at "More from <the site's name>", or at a teaser
    heading after the first paragraph; else the end."""
    more_from = f"more from {' '.join(sitename.split()).casefold()}" if sitename else None
    first_prose = next((i for i, line in enumerate(lines) if len(line) >= _PROSE_CHARS), None)
    for index, line in enumerate(lines):
        if more_from and " ".join(line.split()).casefold().rstrip(":") == more_from:
            return index
        ending = _ENDING_RE.match(line) if first_prose is not None and index > first_prose else None
        if ending and (not ending["site"] or _names_site(ending["site"], sitename)):
            return index
    return len(lines)


def _names_site(name: str, sitename: str | None) -> bool:
    """Whether ``name`` ("HuffPost") is the site's, not a subhead's ("Also on the ballot")."""
    def bare(text: str) -> str:
        return re.sub(r"[\W_]", "", text).casefold().removeprefix("the")

    return bool(sitename) and bool(bare(name)) and (
        bare(name) in bare(sitename) or bare(sitename) in bare(name))


def _without_link_boxes(lines: list[str]) -> list[str]:
    kept: list[str] = []
    heading: int | None = None  # where the box's heading is in kept, while in a box
    for line in lines:
        if heading is not None and line.startswith("- "):
            if heading == len(kept) - 1:
                kept.pop()  # the heading goes with its list
            continue
        boxed = len(line) <= _FURNITURE_MAX and _LINK_BOX_RE.match(line) is not None
        heading = len(kept) if boxed else None
        kept.append(line)
    return kept


# An element the page marks as its author's name (Daily Mail's <a class="author">, rel=author,
# schema.org's itemprop=author), "By " before the name or not.
_AUTHOR_MARK_XPATH = ('//*[contains(@class, "author") or contains(@class, "byline")'
                      ' or @rel="author" or @itemprop="author"]')
_MARKED_BY_RE = re.compile(r"^(?:by|par)\s+", re.IGNORECASE)


def marked_bylines(tree: HtmlElement) -> list[str]:
    """The short texts of the elements a page marks as its author's, "By" taken off; a
    heading so marked without "By" is a subhead naming a speaker (a debate's
    ``<h2 class="author-name">``), not a byline."""
    names = []
    for element in tree.xpath(_AUTHOR_MARK_XPATH):
        text = " ".join(element.text_content().split())
        if not text or len(text.split()) > _BYLINE_WORDS:
            continue
        if _MARKED_BY_RE.match(text) or not element.xpath(_IN_A_HEADING_XPATH):
            names.append(_MARKED_BY_RE.sub("", text))
    return names


_IN_A_HEADING_XPATH = "ancestor-or-self::*[self::h1 or self::h2 or self::h3 or self::h4]"


# An author's box: the biography under the article ("author__biography", "author-bio",
# "about-the-author", "author-description")
# Each class name on its own: a WordPress <article class="tag-biodiversity
# tag-local-authorities"> is no author's box.
_AUTHOR_BIO_XPATH = '//*[contains(@class, "author")]'
_AUTHOR_BIO_CLASS_RE = re.compile(
    r"author.*(?:bio|about|description)|(?:bio|about|description).*author", re.IGNORECASE)


def author_bios(tree: HtmlElement) -> set[str]:
    """The paragraphs of the author's biography boxes, without their white space (never a
    box holding the page's <h1>)."""
    found = set()
    for box in tree.xpath(_AUTHOR_BIO_XPATH):
        if (any(_AUTHOR_BIO_CLASS_RE.search(name) for name in box.get("class", "").split())
                and not box.xpath(".//h1")):
            found.update("".join(p.text_content().split()) for p in box.iter("p"))
    return found


# A byline is printed above the article: among its first lines, and a few words long.
_BYLINE_LINES = 3
_BYLINE_WORDS = 8


# "By Sam Haysom", "By Jane Doe and John Roe", "Par Marie Dupont": a byline whatever the
# metadata says of the author.
_BY_NAMES_RE = re.compile(
    r"^(?:[Bb]y|BY|[Pp]ar|PAR)\s+[A-Z][\w'’.-]*(?:(?:,\s*|\s+(?:and|et|&)\s+|\s+)[A-Z][\w'’.-]*){1,5}$")


# "By The Numbers", "By Any Means Necessary": a subhead in title case, no name
_NOT_A_NAME = frozenset({
    "the", "a", "an", "any", "all", "our", "your", "my", "this", "that", "these", "those",
    "land", "sea", "air", "road", "rail", "order", "far", "design", "default", "request",
    "popular", "way", "night", "day", "hand", "heart", "numbers",
})


def _is_byline(line: str, names: list[str]) -> bool:
    if len(line.split()) > _BYLINE_WORDS:
        return False
    if names:
        return any(name in line for name in names)
    return (_BY_NAMES_RE.match(line) is not None
            and line.split()[1].casefold() not in _NOT_A_NAME)
