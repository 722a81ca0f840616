"""The generic path: an HTML page to an article (title, text, metadata) with trafilatura,
for pages no site adapter handles, and the helpers site adapters share.

No site knowledge here (that is ``crawler.adapters``); ``crawler.extract`` picks an adapter
or this path. Everything is a module-level function returning plain dicts, so it runs in
extraction worker processes.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from crawler.text import cleanup
from crawler.text.banners import prune_consent_banners
from crawler.text.blocks import article_continuation, link_list, prune_next_articles
from crawler.text.cards import card_paragraphs
from crawler.text.dates import published_on_page
from crawler.text.discarded import release_discarded_article
from crawler.text.headlines import confirmed_title, heading_of_title
from crawler.text.jsonld import shrink_json_ld
from crawler.text.labels import without_repeated_labels
from crawler.text.language import detect_language
from crawler.text.latin import author_bios, clean_latin_lines, marked_bylines
from crawler.text.lists import with_uncontained_lists
from crawler.text.markup import read_to_the_end

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "MIN_TEXT_CHARS",
    "clean_space",
    "declared_language",
    "extract_html",
    "extract_tree",
    "fragment_text",
    "is_html",
    "meta_author",
    "parse_html",
    "tag_list",
]

logger = logging.getLogger(__name__)


# A crawl meets many pages without an article (indexes, stubs) and trafilatura reports each one
# at WARNING or ERROR: log those routine messages as if they were DEBUG.
class _DemoteRoutine(logging.Filter):
    _ROUTINE = ("discarding data", "empty HTML tree", "parsed tree length")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG or not str(record.msg).startswith(self._ROUTINE):
            return True
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


for _name in ("trafilatura.core", "trafilatura.utils"):
    logging.getLogger(_name).addFilter(_DemoteRoutine())

# Shorter extracted text means the page holds no article (index pages, error pages, stubs).
MIN_TEXT_CHARS = 25

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"})
# Types servers send when they do not know: look at the bytes instead.
_GENERIC_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/unknown",
        "unknown/unknown",
        "application/x-unknown-content-type",
        "*/*",
    }
)
# Bodies that are never HTML whatever the header says (servers label PDFs and API JSON
# text/html); after optional whitespace.
_NOT_HTML_PREFIXES = (
    b"%PDF-",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"{",
    b"[",
)
# WHATWG MIME sniffing: a body starting with one of these tags is HTML.
_HTML_START_RE = re.compile(
    rb"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    rb"|!--|meta|link)[\s/>]",
    re.IGNORECASE,
)
# A body starting with a stray line (PHP notice, XML declaration) still counts as HTML when one
# of these comes early.
_HTML_TAG_RE = re.compile(rb"<(?:html|head|body|title|meta)[\s/>]", re.IGNORECASE)
_SNIFF_BYTES = 1024
_LEADING_SPACE_RE = re.compile(rb"(?:\xef\xbb\xbf)?[\t\n\f\r ]*")

# Headings of link lists whose links trafilatura drops, leaving the heading alone on a line.
_DANGLING_HEADING_RE = re.compile(
    r"^(?:(?:相关|相關|延伸|推荐|推薦|热门|熱門)(?:阅读|閱讀|推荐|推薦|新闻|新聞|文章|报道|報導)"
    r"|猜你喜欢|猜你喜歡|(?:à )?lire aussi(?:\s*[|:].*)?|sur le même sujet|read more"
    r"|related(?: articles| stories)?)\s*[:：]?$",
    re.IGNORECASE,
)
_TAG_SPLIT_RE = re.compile(r"\s*[,，;；、|｜]\s*")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Byline roles trafilatura leaves in author strings ("作者：王海涛", "文; 王海涛", "Par X").
_AUTHOR_ROLE_RE = re.compile(
    r"^\s*(?:(?:本报|本報|特约|特約)?(?:记者|記者|通讯员|通訊員)|作者|撰文|撰稿)\s*[:：|｜/]?\s*"
    r"|^\s*(?:文|by|par)\s*[:：|｜/]\s*"
    r"|^\s*(?:by|par)\s+",
    re.IGNORECASE,
)
# Bylines that name someone other than the author: editors, photographers, the source.
_META_AUTHOR_XPATH = (
    '//head/meta[@property="article:author" or @property="og:author" or @name="author"'
    ' or @property="og:article:author" or @name="article:author"]/@content'
)
_NOT_AUTHOR_RE = re.compile(
    r"^\s*(?:责任编辑|責任編輯|编辑|編輯|图|圖|摄影|攝影|来源|來源)(?:\s|[:：|｜/]|$)"
)
_AUTHOR_ROLE_ONLY = frozenset({"文", "作者", "记者", "記者"})


def is_html(content_type: str | None, body: bytes) -> bool:
    """Tell whether a response body is an HTML page worth extracting.

    The Content-Type decides when it is specific (``application/pdf``, ``application/json``,
    ``text/plain`` are not HTML); the first bytes decide when it is missing or generic. Bodies
    that are plainly PDF, images, archives or JSON are rejected even when labelled
    ``text/html``.

    :param content_type: the HTTP Content-Type header value, if any
    :param body: the response body
    """
    # whitespace does not count towards the window: a server-side template can emit
    # kilobytes of it before the doctype (WHATWG sniffing skips it too)
    start = _LEADING_SPACE_RE.match(body).end()
    head = body[start:start + _SNIFF_BYTES]
    if not head or head.startswith(_NOT_HTML_PREFIXES):
        return False
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in _HTML_TYPES:
        return True
    if mime not in _GENERIC_TYPES:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte order mark: sniff the ASCII rendering of the first characters.
        head = head.decode("utf-16", errors="replace").encode("ascii", errors="replace").lstrip()
    return bool(_HTML_START_RE.match(head) or _HTML_TAG_RE.search(head))


def extract_html(html: str, url: str) -> dict | None:
    """Extract the article from decoded HTML with trafilatura.

    Comments are left out; tables are kept. The language is detected on the extracted text,
    with the page's ``<html lang>`` as a fallback for very short texts.

    :param html: the page as text
    :param url: the page URL (used for metadata and relative links)
    :return: a plain dict with ``title``, ``text``, ``author``, ``published`` (ISO 8601
        date, or datetime with offset), ``sitename``, ``language`` (ISO 639-1), ``tags``
        (list), ``description`` and ``image``, or ``None`` when the page has no article text
    """
    tree = parse_html(html)
    if tree is None:
        return None
    return extract_tree(tree, url)


_FAST_DATES = {"original_date": True, "extensive_search": False}


def _searched_date(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's extensive search (dateparser over the markup), for a Chinese page where
    neither its meta tags, its labels, the quick search nor a date under the ``<h1>`` gave
    one: the least reliable source (an image's path, a copyright year), so the last."""
    from htmldate import find_date

    try:
        return find_date(tree, url=url or None, original_date=True, extensive_search=True)
    except (ValueError, TypeError):
        return None


def extract_tree(tree: HtmlElement, url: str) -> dict | None:
    """:func:`extract_html` of a parsed page (the tree is modified: banners, comments go)."""
    declared = declared_language(tree)
    author_in_meta = meta_author(tree)
    prune_consent_banners(tree)
    prune_next_articles(tree)
    shrink_json_ld(tree)
    chinese = cleanup.is_cjk(" ".join(tree.xpath(_BODY_TEXT_XPATH)))
    if chinese:
        cleanup.prune_comments(tree)
    # read before trafilatura cleans the tree; the Chinese path weighs teasers in its blocks
    cards = set() if chinese else card_paragraphs(tree, url) | author_bios(tree)
    bylines = [] if chinese else marked_bylines(tree)
    import trafilatura  # here: a crawl's main process never extracts (issue 10)

    def extraction(favor_recall: bool = False, with_metadata: bool = True) -> Any:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=True,
            favor_recall=favor_recall,
            # Off: trafilatura's dedup cache is process-wide, so a page extracted a fourth
            # time (a replay, a recrawl) would come back empty.
            deduplicate=False,
            with_metadata=with_metadata,
            # htmldate's extensive search (dateparser over the text) is most of the metadata's
            # time; on a Chinese page published_on_page reads the labelled dates itself.
            date_extraction_params=dict(_FAST_DATES) if chinese else None,  # it adds to it
        )

    document = extraction()
    if document is None or len(document.text or "") < MIN_TEXT_CHARS:
        # next to nothing: trafilatura's precise reading pruned the article's container (an
        # article inside an unclosed <header>); its wider one may keep it
        document = extraction(favor_recall=True) or document
    if document is None:
        return None
    # on the Latin path only: no Chinese page of the corpus has such a container
    if not chinese and release_discarded_article(tree, document.text or ""):
        # the text only: the metadata does not hang on those class words, and is most of
        # the time of a reading
        again = extraction(with_metadata=False)
        if again is not None and again.text:
            document.text = again.text
    title = clean_space(document.title)
    raw_text = document.text or ""
    published = _iso_date(document.date)
    sitename = clean_space(document.sitename)
    author = _clean_author(document.author)
    # trafilatura drops meta authors without a space (every Chinese name) and guesses from the
    # body instead; an explicit meta author that is not the site's name is the better source
    # there. On other pages such a meta author is a desk, a user name or an address
    # ("NZZ-Redaktion", "aligharib", "d.kuckelkorn@..."): only where trafilatura has none.
    if (author_in_meta and author_in_meta != sitename and "@" not in author_in_meta
            and (chinese or _CJK_RE.search(author_in_meta) or not author)):
        author = author_in_meta
    if not chinese:
        title = clean_space(confirmed_title(tree, heading_of_title(tree, title)))
        raw_text = with_uncontained_lists(tree, raw_text)
        lines = [*raw_text.splitlines(), *article_continuation(tree, raw_text)]
        lines = [line for line in lines if "".join(line.removeprefix("- ").split()) not in cards]
        raw_text = "\n".join(
            clean_latin_lines([line.strip() for line in lines], sitename, author, bylines))
    else:
        raw_text = cleanup.refine(tree, url, raw_text)
        title = clean_space(cleanup.article_headline(tree, title))
        # with its time and the site's offset when the page gives them
        published = _iso_datetime(
            published_on_page(tree, fallback=published) or _searched_date(tree, url))
    published = _unless_a_year_guess(published, tree)
    text = _clean_text(raw_text, title)
    if chinese and link_list(tree, text):
        # trafilatura took the page's teaser list: the densest block of sentences is the story
        text = _clean_text(cleanup.densest_text(tree) or "", title)
    if len(text) < MIN_TEXT_CHARS or (chinese and cleanup.is_menu(text)) or link_list(tree, text):
        return None
    return {
        "title": title,
        "text": text,
        "author": author,
        "published": published,
        "sitename": sitename,
        "language": detect_language(text, declared),
        "tags": tag_list(document.tags, document.categories),
        "description": clean_space(document.description),
        "image": clean_space(document.image),
    }


# Text of the page, for telling Chinese pages: the first text nodes outside scripts.
_SAMPLE_NODES = 400
_BODY_TEXT_XPATH = (
    "(//body//text()[not(parent::script or parent::style)][normalize-space()])"
    f"[position() <= {_SAMPLE_NODES}]"
)


def fragment_text(element: HtmlElement, title: str | None = None) -> str:
    """The clean text of one element a site adapter picked out (an article body container).

    One line per block; hidden elements, link-only lines and the furniture lines of Chinese
    articles (statements, editor credits, follow prompts...) are left out, then the text is
    cleaned as on the generic path.

    :param element: the container, e.g. ``div.post_body``
    :param title: the article title, dropped when it opens the text
    :return: the text, paragraphs on lines of their own ("" when there is none)
    """
    return _clean_text("\n".join(cleanup.clean_lines(cleanup.block_lines(element))), title)


def parse_html(html: str) -> HtmlElement | None:
    """The page parsed as trafilatura parses it, read to its end as a browser reads it (an
    early ``</html>`` ends nothing), or None for an empty or unparsable one."""
    if not html or not html.strip():
        return None
    try:
        from trafilatura.utils import load_html

        return load_html(read_to_the_end(html))
    except (TypeError, ValueError) as exc:
        logger.debug("unparsable HTML: %s", exc)
        return None


def declared_language(tree: HtmlElement) -> str | None:
    """The language the page declares (``<html lang>``, Content-Language meta), as written."""
    declared = tree.get("lang") or tree.get("xml:lang")
    if not declared:
        metas = tree.xpath(
            '//meta[translate(@http-equiv, "CONTENTLAGU", "contentlagu")="content-language"]'
            "/@content"
        )
        declared = metas[0] if metas else None
    return declared


def meta_author(tree: HtmlElement) -> str | None:
    """The meta author trafilatura would discard (one without a space: Chinese names)."""
    for value in tree.xpath(_META_AUTHOR_XPATH):
        author = _clean_author(clean_space(value))
        if author and " " not in author and "/" not in author and len(author) <= 60:
            return author
    return None


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def clean_space(value: str | None) -> str | None:
    """``value``, white space runs collapsed and zero-width characters out; None if empty."""
    return None if value is None else (" ".join(value.translate(_ZERO_WIDTH).split()) or None)


def _clean_text(text: str, title: str | None) -> str:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    # trafilatura keeps an <h1> inside <article> as the first line: it is already the title.
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]
    lines = without_repeated_labels(lines)
    return "\n".join(line for line in lines if not _DANGLING_HEADING_RE.match(line))


def _clean_author(author: str | None) -> str | None:
    if not author:
        return None
    names: list[str] = []
    skip_next = False
    # trafilatura splits "图/张三" into "图; 张三": a bare role applies to the next part.
    for part in author.split(";"):
        name = part.strip()
        if skip_next or _NOT_AUTHOR_RE.match(name):
            skip_next = _NOT_AUTHOR_RE.fullmatch(name) is not None and not skip_next
            continue
        while True:
            stripped = _AUTHOR_ROLE_RE.sub("", name, count=1).strip()
            if stripped == name:
                break
            name = stripped
        if name and name not in _AUTHOR_ROLE_ONLY and name not in names:
            names.append(name)
    return "; ".join(names) or None


def _jan_first(year: str) -> re.Pattern[str]:
    return re.compile(
        rf"{year}\s*[-/.年]\s*0?1\s*[-/.月]\s*0?1(?!\d)|(?<!\d)0?1\s*[./-]\s*0?1\s*[./-]\s*{year}"
        rf"|{year}0101|\b(?:january|jan\.?|janvier)\s+0?1(?:st|er)?,?\s+{year}"
        rf"|(?<!\d)0?1(?:st|er)?\s+(?:january|jan\.?|janvier)\s+{year}",
        re.IGNORECASE,
    )


def _unless_a_year_guess(published: str | None, tree: HtmlElement) -> str | None:
    """``published``, or None for a 1 January the page never says: trafilatura's date search
    turns a bare year (a copyright line, "2019年上市") into YYYY-01-01."""
    if not published or published[5:10] != "01-01":
        return published
    import lxml.html

    if _jan_first(published[:4]).search(lxml.html.tostring(tree, encoding="unicode")):
        return published
    return None


def _iso_datetime(value: str | None) -> str | None:
    """``value`` if it is an ISO 8601 datetime with an offset, else its date part (or None)."""
    if value and len(value) > 10:
        try:
            if datetime.fromisoformat(value).tzinfo is not None:
                return value
        except ValueError:
            pass
    return _iso_date(value)


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def tag_list(*groups: Any) -> list[str]:
    """Tags from keyword lists (meta keywords, article:tag...), split and deduplicated."""
    tags: list[str] = []
    for group in groups:
        for raw in group or ():
            for tag in _TAG_SPLIT_RE.split(str(raw)):
                # Chinese keyword lists are often separated by spaces alone.
                parts = tag.split() if _CJK_RE.search(tag) else [tag]
                for part in parts:
                    part = " ".join(part.split()).strip("#")
                    if part and part not in tags:
                        tags.append(part)
    return tags
