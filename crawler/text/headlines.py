"""Headlines: the article's title rather than the page's or the site's.

- :func:`headline` (Chinese pages) takes the ``<h1>`` when the page title holds it, else the
  page title without its site and channel names, and the page's own ``<h1>`` where the page
  title names only the site or the page type;
- :func:`heading_of_title` (Latin-script pages) takes an ``<h1>`` that a title confirms;
- :func:`headline_element` is the heading element itself, which the DOM blocks of
  :mod:`crawler.text.blocks` use to tell the article from the page around it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["confirmed_title", "heading_of_title", "headline", "headline_element"]


# Separators between an article title and the site or channel names around it.
# A "-" between a number and a digit is a range or a date ("净利1900万-2900万"), not a separator;
# before a site's name that starts with one ("-21世纪经济报道") it is.
_TITLE_SEPARATORS_RE = re.compile(
    r"(\s*(?:_|\||｜|│|—{1,2}|\s-{1,2}\s|\s–\s|(?<![\d万亿千百%])-(?=\S)|-(?=[^\s\d])"
    r"|(?<=\S)-\s+(?=\D))\s*)")
_SITE_PART_MAX = 12
_HEADLINE_SHARE = 0.5
MIN_HEADLINE = 4


_DOMAIN_RE = re.compile(r"(?:www\.)?[\w-]+(?:\.[a-z]{2,6}){1,3}", re.IGNORECASE)


# A longer trailing part is the site's name too when it ends like an institution's or a
# site's: "_中华人民共和国国家卫生健康委员会", "-深圳市人民政府门户网站".
_LONG_SITE_PART_MAX = 30
_INSTITUTION_RE = re.compile(
    r"(?:网站|網站|官网|官網|门户|門戶|人民政府|政府网|政府網|委员会|委員會|办公室|辦公室|办公厅|辦公廳"
    r"|新闻网|新聞網|电视台|電視台|广播电台|廣播電台|出版社|报社|報社|客户端|客戶端)$"
)


def _site_part(part: str, trailing: bool = False) -> bool:
    part = part.strip()
    if len(part) <= _SITE_PART_MAX or _DOMAIN_RE.fullmatch(part):  # CAIJING.COM.CN
        return True
    return trailing and len(part) <= _LONG_SITE_PART_MAX and bool(_INSTITUTION_RE.search(part))


# A site's name after a comma ("...只为人民币服务,股城网"), a keyword list ("-圣元奶粉致死,圣元
# 奶粉河北,圣元奶粉集宁"), a site's name with a colon before the headline ("中時醫療網:...").
_COMMA_SITE_RE = re.compile(r"\s*[,，]\s*([^\s,，_|｜-]{2,12})$")
# (half-width commas only: a headline's clauses are joined by full-width ones)
_KEYWORDS_RE = re.compile(r"[^,，\s]{2,}(?:\s*,\s*[^,，\s]{2,}){2,}")
_COLON_SITE_RE = re.compile(r"^(\S{2,12})\s*[:：]\s*(?=\S)")


def _strip_site_names(title: str) -> str:
    comma = _COMMA_SITE_RE.search(title)
    if comma and _looks_like_site(comma.group(1)):
        title = title[: comma.start()]
    colon = _COLON_SITE_RE.match(title)
    if colon and _looks_like_site(colon.group(1)):
        title = title[colon.end():]
    pieces = _TITLE_SEPARATORS_RE.split(title)  # part, separator, part, ...
    parts, separators = pieces[0::2], pieces[1::2]
    # Trailing parts as short as a site or channel name go ("_国务院文件_中国政府网"), unless
    # the first part is the site's name and the last is not ("自由電子報 - 流感再奪2命 累計20死");
    # leading ones too when joined by - or _ ("臺南市政府全球資訊網-新聞稿-"), not by ｜
    # ("专访｜...").
    while len(parts) > 1 and (_site_part(parts[-1], trailing=True)
                              or _KEYWORDS_RE.fullmatch(parts[-1].strip())):
        if _looks_like_site(parts[0]) and not _SITE_TITLE_RE.search(parts[-1].strip()):
            break
        parts.pop()
        separators.pop()
    while (
        len(parts) > 1
        and _site_part(parts[0])
        and not re.search(r"[|｜│]", separators[0])
    ):
        parts.pop(0)
        separators.pop(0)
    joined = parts[0] + "".join(sep + part for sep, part in zip(separators, parts[1:], strict=True))
    return joined.strip() or title


# What a site's own name ends with ("自由電子報", "联合早报", "新浪网"): narrower than a page title
# naming the site or the page type (_SITE_TITLE_RE: "...文章", "...中心" end headlines too).
_SITE_NAME_END_RE = re.compile(r"(?:[网網站]|[电電]子[报報]|[日时時晚早][报報])$")


def _looks_like_site(part: str) -> bool:
    part = part.strip()
    return len(part) <= _SITE_PART_MAX and _SITE_NAME_END_RE.search(part) is not None


def _page_titles(tree: HtmlElement) -> list[str]:
    return [
        " ".join(value.split())
        for value in (
            *tree.xpath('//meta[@property="og:title"]/@content'),
            tree.findtext(".//title") or "",
        )
        if value and value.strip() and len(_SENTENCE_END_RE.findall(value)) < _DESCRIPTION_SENTENCES
    ]


# A "title" of sentences is the headline with the article's opening (an og:title of some
# sites): not a title.
_SENTENCE_END_RE = re.compile(r"。")  # ！ and ？ end exclamatory headlines too
_DESCRIPTION_SENTENCES = 2


def headline(tree: HtmlElement, title: str | None) -> str | None:
    """The article's title on a Chinese page, rather than the page's or the site's.

    The first ``<h1>`` wins when the page title (``og:title`` or ``<title>``; ``title`` when
    the page has neither) holds it and it is not just the site's name; else the page title
    without the site and channel names around it.

    :param tree: the parsed page
    :param title: the title found so far (trafilatura's)
    """
    candidates = _page_titles(tree) or ([" ".join(title.split())] if title else [])
    if not candidates:
        return title
    core = _strip_site_names(candidates[0])
    site_names = _site_names(tree)
    if _names_the_site(core, site_names):
        # "新浪网", "正文": the page title names no article; the page's own <h1> does
        heading = _plain_h1(tree, core, site_names)
        if heading is not None:
            return heading
    first = next(tree.iter("h1"), None)
    cores = [_strip_site_names(candidate) for candidate in candidates]
    for heading in (first, headline_element(tree)):
        text = " ".join(heading.text_content().split()) if heading is not None else ""
        if not text or text in site_names or not any(text in c or c in text for c in cores):
            continue  # (a logo's <h1>, "中時電子報", the site's part of the page title)
        if any(text in c for c in candidates) and len(text) >= _HEADLINE_SHARE * len(core):
            return text
        if any(_TITLE_SEPARATORS_RE.match(c[len(text):]) for c in candidates
               if c.startswith(text) and len(text) >= MIN_HEADLINE):
            return text  # the page title's first part: "<headline> | 熱門話題 | 中央社即時新聞"
    if _TITLE_SEPARATORS_RE.match(core) and first is not None:
        # "-铜雀历史网": the page title has no article part; the <h1> is the headline
        text = " ".join(first.text_content().split())
        if len(text) >= MIN_HEADLINE:
            return text
    if title and title in core:
        return title
    return core


# What a page title that names only the site or the page type ends with.
_SITE_TITLE_RE = re.compile(
    r"(?:[网網站报報台]|新闻|新聞|频道|頻道|首页|首頁|门户|門戶|在线|在線|中心|正文|详情|詳情"
    r"|文章|内容|內容|资讯|資訊|官网|官網|论坛|論壇|社区|社區)$"
)
_SITE_NAME_XPATH = (
    '//meta[@property="og:site_name" or @name="application-name" or @name="apple-mobile-web-'
    'app-title"]/@content'
)


def _site_names(tree: HtmlElement) -> set[str]:
    return {" ".join(name.split()) for name in tree.xpath(_SITE_NAME_XPATH)}


def _names_the_site(core: str, site_names: set[str]) -> bool:
    if core in site_names:
        return True
    return bool(_DOMAIN_RE.fullmatch(core)) or (
        len(core) <= _SITE_PART_MAX and _SITE_TITLE_RE.search(core) is not None)


def names_the_site(tree: HtmlElement, title: str) -> bool:
    """Whether a Chinese page's ``title`` names only its site or the page type."""
    return _names_the_site(_strip_site_names(title), _site_names(tree))


def _plain_h1(tree: HtmlElement, core: str, site_names: set[str]) -> str | None:
    """The first ``<h1>`` that is a heading of its own: not a linked logo, not a site's or
    a channel's name."""
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        linked = "".join("".join(a.text_content().split()) for a in h1.iter("a"))
        if (len(text) >= MIN_HEADLINE and text != core and len(linked) < len(text) / 2
                and not _names_the_site(text, site_names)):
            return text
    return None


_QUOTES = str.maketrans("‘’“”", "''\"\"")
_SUFFIX_SEPARATOR_RE = re.compile(r"^\s*(?:\||｜|-|–|—|_|::?|·)\s*\S")
_MIN_CONTINUED_WORDS = 5
# What ends a topic label before the headline in a title: "Topic: ", "Section | ".
_TOPIC_SEPARATOR_RE = re.compile(r"\S\s*(?::|\||｜|-|–|—)\s$")


def heading_of_title(tree: HtmlElement, title: str | None) -> str | None:
    """The page's headline, where an ``<h1>`` of the page is confirmed by a title: ``title``
    (the metadata's, often the social-media one) or the document's ``<title>``, beginning
    with that ``<h1>`` and then a site-name separator ("Defence agency to be created –
    Physics World" and the ``<h1>`` "Defence agency to be created"), nothing, or, for an
    ``<h1>`` of at least :data:`_MIN_CONTINUED_WORDS` words, more words (a title that is the
    headline made longer). Such an ``<h1>`` may also follow a shorter topic label and a
    separator ("Infant Abandonment Cases In India: Newborns left in dustbins ... | Bhopal
    News"). Else ``title`` as it is.
    """
    if not title:
        return title
    titles = [title, *tree.xpath("//title/text()")[:1]]
    flats = [_flat(t) for t in titles]
    for count, h1 in enumerate(tree.iter("h1")):
        if count >= 3:
            break
        text = " ".join(h1.text_content().split())
        plain = text.translate(_QUOTES)
        if len(plain) < MIN_HEADLINE:
            continue
        long_enough = len(plain.split()) >= _MIN_CONTINUED_WORDS
        for flat in flats:
            at = flat.find(plain)
            if at < 0 or (at > 0 and not (
                    long_enough and at < len(plain) and _TOPIC_SEPARATOR_RE.search(flat[:at]))):
                continue
            rest = flat[at + len(plain):]
            if not rest or _SUFFIX_SEPARATOR_RE.match(rest) or (
                    rest[0] == " " and long_enough and at == 0):
                return text
    return title


def headline_element(tree: HtmlElement) -> HtmlElement | None:
    """The ``<h1>`` (else ``<h2>``) whose text the page title holds: the article's heading."""
    titles = _page_titles(tree)
    if not titles:
        return None
    cores = [_strip_site_names(title) for title in titles]
    for tag in ("h1", "h2"):
        for heading in tree.iter(tag):
            text = " ".join(heading.text_content().split())
            if len(text) < 4:
                continue
            # the heading may carry a button's text ("播报文章") after the title
            if any(text in title for title in titles) or any(
                len(core) >= 4 and core in text and len(core) >= _HEADLINE_SHARE * len(text)
                for core in cores
            ):
                return heading
    return None


# --------------------------------------------------------------------------- Latin titles

# Between a headline and the site, section or byline names a page title adds to it.
_SEGMENT_SEPARATOR_RE = re.compile(r"\s+(?:\||｜|-|–|—|::?|·|»|›)\s+|\s+\((?=From\s)")
# A title this short that no page title holds is a label (a logo, "Topics", a promotion box).
_LABEL_WORDS = 4
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _flat(text: str) -> str:
    """White space collapsed, curly quotes straight: how titles and headings are compared."""
    return " ".join(text.split()).translate(_QUOTES)


def _segments(title: str) -> list[str]:
    return [part.strip().removesuffix(")") for part in _SEGMENT_SEPARATOR_RE.split(title)]


def _begins_with(title: str, part: str) -> bool:
    """Whether ``title`` is ``part`` and then a separator and more."""
    return (title != part and title.startswith(part)
            and _SEGMENT_SEPARATOR_RE.match(title[len(part):] + " ") is not None)


def confirmed_title(tree: HtmlElement, title: str | None) -> str | None:
    """The headline of a Latin-script page where ``title`` (trafilatura's, after
    :func:`heading_of_title`) is the site's name, a label, or the headline with the names a
    page title adds, by what the page titles (``og:title``, ``<title>``) confirm.

    A heading (among the first ``<h1>``s and ``<h2>``s) that is a page title or one of its
    parts between separators ("Radio New Zealand : News : National : <headline>") is
    confirmed; the longest confirmed one wins over a ``title`` that is no page title and is
    the heading and more parts ("<headline> - Latest International News"), or is shorter
    and in no page title, only a part of one (the site's name) or one word. A ``title``
    that begins with a shorter page title and a separator loses that tail ("<og:title> |
    Bay of Plenty News | Local News"). A ``title`` of a few words that no page title holds
    (a logo's "Calgary Herald", "Topics") gives way to ``og:title``, else to the longest
    part of ``<title>``.
    Else ``title`` as it is.
    """
    if not title or _CJK_RE.search(title):
        return title  # words are not counted by spaces there: headline() is the Chinese rule
    document_title = tree.xpath("string((//title[not(ancestor::svg)])[1])")
    sources = [_flat(s) for s in (*tree.xpath('//meta[@property="og:title"]/@content')[:1],
                                  document_title) if s and s.strip()]
    if not sources:
        return title
    flat = _flat(title)
    words = len(flat.split())
    if words > 1 and _is_own_heading(tree, flat):
        return title  # (a one-word <h1> is a section's: "News")
    shown = _shown_headline(tree, sources)
    if shown is not None:
        return shown
    parts = {part for source in sources for part in (source, *_segments(source))
             if len(part) >= MIN_HEADLINE}
    in_a_title = any(flat in source for source in sources)
    headings = [" ".join(h.text_content().split()) for tag in ("h1", "h2")
                for h in tree.xpath(f"(//{tag})[position() <= 5]")]
    confirmed = [h for h in headings if _flat(h) in parts and _flat(h) != flat]
    best = max(confirmed, key=lambda h: len(h.split()), default=None)
    # a title that is a page title stands ("Purple Rain" beside its artist's <h2> does too:
    # it is inside a part of the page title, not a part of its own)
    longer = best is not None and len(best.split()) > words
    if best is not None and flat not in sources and (
            _begins_with(flat, _flat(best))
            or (longer and (not in_a_title or flat in parts or words == 1))):
        return best
    for source in sources:
        if _begins_with(flat, source):
            return source
    if in_a_title or words > _LABEL_WORDS:
        return title
    # a label no page title holds: og:title is the headline; <title> holds it between the
    # site's and the sections' names
    og_title = sources[0] if len(sources) == 2 else None
    fuller = og_title or max(_segments(sources[-1]), key=lambda part: len(part.split()))
    return fuller if words < len(fuller.split()) <= _TITLE_MAX_WORDS else title


# A page title longer than this is a description, not a headline to take.
_TITLE_MAX_WORDS = 30


# The page's one headline, printed in an <h1> of this many words or more, that shares this
# share of its words with a page title: the headline as the page shows it, where the page
# titles word it for search engines and social media ("5 Best Blockchain Development Trends
# for 2026-2030" over the <h1> "Top 5 Blockchain Technology Trends to Watch in 2026-2030").
_SHOWN_WORDS = 3
_SHARED_WORDS = 0.4
_WORD_RE = re.compile(r"\w+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# The <h1>s outside a footer, a navigation, an aside or a dialog ("Select Your Location",
# a newsletter modal's "Free Boot Camp Email Course")
_OWN_H1_XPATH = ("//h1[not(ancestor::footer or ancestor::nav or ancestor::aside"
                 " or ancestor::dialog or ancestor::*[@role='dialog' or @aria-modal='true'"
                 " or contains(concat(' ', normalize-space(@class), ' '), ' modal ')])]")


def _shown_headline(tree: HtmlElement, sources: list[str]) -> str | None:
    site_names = {_flat(name) for name in _site_names(tree)}
    own = []
    for h1 in tree.xpath(_OWN_H1_XPATH):
        text = " ".join(h1.text_content().split())
        linked = "".join("".join(a.text_content().split()) for a in h1.iter("a"))
        if (text and text not in own and _flat(text) not in site_names
                and len(linked) < len("".join(text.split())) / 2):
            own.append(text)  # (a headline printed twice, for small and large screens, once)
    if len(own) != 1 or len(own[0].split()) < _SHOWN_WORDS or _CONTROL_RE.search(own[0]):
        return None  # (a control character: the page's bytes misread, "BRITAIN\x92S")
    shown = _flat(own[0])
    bare = "".join(_WORD_RE.findall(shown))
    for source in sources:
        if _begins_with(shown, source) or "".join(_WORD_RE.findall(source)) == bare:
            # "<headline> | Bay of Plenty News" printed as the <h1>; a kicker run into the
            # headline ("Nationale DemoDer 9. Juli naht"): the page title words it right
            return source
        if source != shown and len(source.split()) >= _SHOWN_WORDS and source in shown:
            return source  # a kicker before the headline: "Premier League <headline>"
    if _printed_below(tree, sources):
        return None  # the page title's headline is an <h2>: the <h1> is a section's name
    words = _content_words(own[0])
    titled = {w for source in sources for w in _content_words(source)}
    return own[0] if words and len(words & titled) >= _SHARED_WORDS * len(words) else None


# Words that say what a headline is about: not the short ones, nor these ("Letters to the
# Editor" shares only "to the" with its letter's title).
_FUNCTION_WORDS_TEXT = (
    "about after also because been before being could does each from have here into just "
    "like many more most much only over should some such than that their them then there "
    "these they this those very were what when where which while will with would your "
    "avec dans pour plus sont sous leur cette nach eine einer einem oder nicht über unter "
    "wird")
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


def _content_words(text: str) -> set[str]:
    return {word for word in (w.casefold() for w in _WORD_RE.findall(text))
            if len(word) > 3 and word not in _FUNCTION_WORDS}


def _names_left_out(parts: list[str]) -> list[str]:
    if len(parts) > 1 and len(parts[-1].split()) <= _LABEL_WORDS:
        return parts[:-1]
    return parts


def _printed_below(tree: HtmlElement, sources: list[str]) -> bool:
    """Whether a page title, or one of its parts of a headline's length, is an ``<h2>`` or
    ``<h3>`` of the page."""
    # (not the site's name, printed in its header or footer: a page title's last part as
    # short as a label)
    site_names = {_flat(name) for name in _site_names(tree)}
    parts = {part for source in sources for part in (source, *_names_left_out(_segments(source)))
             if len(part.split()) >= _SHOWN_WORDS and part not in site_names}
    return any(_flat(h.text_content()) in parts
               for h in tree.xpath("(//h2 | //h3)[position() <= 10]"))


def _is_own_heading(tree: HtmlElement, flat: str) -> bool:
    """Whether ``flat`` is the text of an ``<h1>`` of the page that is not a linked logo and
    not the site's name: the page's own headline, however short ("Jane Smith", "Skyfall",
    "Cannes : le palmarès complet")."""
    site_names = {_flat(name) for name in _site_names(tree)}
    for h1 in tree.xpath("(//h1)[position() <= 5]"):
        text = _flat(h1.text_content())
        if text != flat or text in site_names:
            continue
        linked = "".join("".join(a.text_content().split()) for a in h1.iter("a"))
        if len(linked) < len("".join(text.split())) / 2 and not h1.xpath(".//img"):
            return True
    return False
