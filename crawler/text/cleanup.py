"""Cleaning that trafilatura does not do for Chinese news pages.

Used by ``crawler.extract`` on pages whose text is mostly Chinese (Latin-script pages are
left exactly as trafilatura and ``crawler.extract`` make them), and by site adapters on the
article container they pick out:

- :func:`refine` improves on trafilatura's text of a Chinese page, with the functions below.
- :func:`block_lines` turns a container into lines, one per block (``<p>``, ``<div>``,
  ``<br>``...), leaving out hidden elements and link-only lines (related-article lists).
- :func:`clean_lines` drops the furniture lines Chinese sites put inside the body:
  statements (特别声明...), editor and source credits (责任编辑, 本文来源, （編輯：...）),
  original-title notes (原标题), share prompts, app promotions, WeChat follow prompts,
  photo-credit-only lines, date-only lines and print-edition notes.
- :func:`prune_comments` removes reader-comment sections trafilatura's patterns miss.
- :func:`densest_block` finds the element holding most sentence text, for pages where
  trafilatura falls back to the whole page (text in ``<br>``-separated ``<div>`` or
  ``<td>`` cells).
- :func:`headline` picks the article title over the site name: the ``<h1>`` when the page
  title holds it, else the page title without its site and channel names.
- :func:`paragraph_chars` and :func:`coverage` measure how much prose a result holds, and
  how much of another result's prose, to choose between results.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import trafilatura

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "block_lines",
    "clean_lines",
    "coverage",
    "headline",
    "densest_block",
    "is_cjk",
    "paragraph_chars",
    "prune_comments",
    "refine",
]

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]{2}")
# Share of letters that must be CJK for a text to count as Chinese.
_CJK_SHARE = 0.3
_LATIN_SENTENCE_RE = re.compile(r"\w[.,;!?] \w")
_CJK_SENTENCE_PUNCT_RE = re.compile(r"[，。！？；]")

# --------------------------------------------------------------------------- lines

# A whole line that is one of these is page furniture (label, then anything).
_FURNITURE_LABEL = (
    r"(?:特别|特別|免责|免責|平台|平臺|版权|版權|郑重|鄭重)?(?:声明|聲明)\s*[:：]"
    r"|(?:责任编辑|責任編輯|责编|責編|值班编辑|值班編輯|编辑|編輯|校对|校對|审核|審核|审校|審校"
    r"|监制|監製|终审|終審|初审|初審|排版|美编|美編|策划|策劃|统筹|統籌)\s*[:：丨|｜/]"
    r"|(?:本文)?(?:来源|來源|出处|出處)\s*[:：]"
    r"|(?:原标题|原標題)\s*[:：]"
    r"|(?:图片|圖片|题图|題圖|封面|头图|頭圖)\s*(?:来源|來源|来自|來自)?\s*[:：丨|｜/]"
    r"|(?:图源|圖源|图|圖)\s*[:：丨|｜/]"
    r"|(?:分享至|分享到)"
    r"|Notice:\s*The content above"
)
_FURNITURE_RE = re.compile(r"^[\[(（【]?\s*(?:" + _FURNITURE_LABEL + r")", re.IGNORECASE)
# Labels that may start a real paragraph ("来源：国家统计局的数据显示……", "分享到这里"):
# only short lines with them are furniture.
_SHORT_ONLY_RE = re.compile(
    r"^[\[(（【]?\s*(?:(?:(?:本文)?(?:来源|來源|出处|出處)|编辑|編輯|图|圖)\s*[:：丨|｜/]"
    r"|分享至|分享到)"
)
_SHORT_LINE = 60
_NOTICE_LINE = 80
_LEGAL_RE = re.compile(r"未经|未經|不代表|依法追究|版权所有|版權所有|All Rights Reserved")
# Fixed phrases of site furniture, anywhere in a short line.
_FURNITURE_PHRASE_RE = re.compile(
    r"打开网易新闻\s*查看|打開網易新聞\s*查看|返回搜狐[，,]?\s*查看更多"
    r"|(?:尽在|盡在|下载|下載|打开|打開).{0,10}(?:APP|App|app|客户端|客戶端)"
    r"|(?:点击|點擊).{0,6}(?:蓝字|藍字|关注|關注)|关注我们|關注我們"
    r"|长按.{0,6}二维码|長按.{0,6}二維碼|扫码关注|掃碼關注|识别二维码|識別二維碼"
    r"|点个在看|點個在看|分享、?点赞|分享、?點讚|点赞、?在看|预览时标签不可点"
    r"|^阅读原文$|^閱讀原文$|^【?纠错】?|^【?糾錯】?|^(?:广告|廣告|推广|推廣|赞助|贊助)$"
    # a related-article link left as a line: 相關新聞：<title>
    r"|^(?:相关|相關|延伸|推荐|推薦)(?:新闻|新聞|阅读|閱讀|文章|报道|報導)\s*[:：]"
    # the site's legal notice under the article
    r"|(?:未经|未經)(?:授权|授權|许可|許可|书面|書面).{0,12}(?:转载|轉載|使用|复制|複製|摘编|摘編)"
    r"|不代表.{0,16}(?:观点|觀點|立场|立場)|依法追究.{0,4}责任|依法追究.{0,4}責任"
    r"|版权所有|版權所有|All Rights Reserved"
)
# END markers, and lines of nothing but punctuation.
_END_RE = re.compile(r"^[\s\-—–=~·•*＊_]*(?:END|End|end|完|結束|结束)?[\s\-—–=~·•*＊_]*$")
# Credits ending the last paragraph: （編輯：陳仁華）1140723, 【责任编辑:张三】, (责编：甲、乙)
_TRAILING_CREDIT_RE = re.compile(
    r"\s*[\[(（【]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|校对|校對|审核|審核)\s*[:：]"
    r"[^\])）】]{1,40}[\])）】](?:\s*\d{6,8})?\s*$"
)
# A short line that is only a date and time (and maybe a place or a source name).
_DATETIME_RE = re.compile(
    r"(?:\d{2,4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}(?::\d{2})?"
    r"|\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
)
_DATELINE_MAX = 32
# 《 人民日报 》（ 2024年07月23日 03 版）
_EDITION_RE = re.compile(
    r"^《\s*[^》]{1,20}\s*》\s*[（(]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d{0,3}\s*版\s*[）)]$"
)
# Headings of link lists (related articles...) whose links are gone: the heading and, at the
# end of the text, the short lines after it.
_RECOMMEND_HEADING_RE = re.compile(
    r"^(?:往期|精彩|热门|熱門|相关|相關|延伸|推荐|推薦|猜你|更多|今日|编辑|編輯|近期|历史|歷史)"
    r"(?:推荐|推薦|回顾|回顧|精选|精選|阅读|閱讀|文章|新闻|新聞|喜欢|喜歡|热文|熱文|好文)\s*[:：]?$"
)
_TAIL_ITEM_MAX = 40


def is_cjk(text: str, sample: int = 5000) -> bool:
    """Whether ``text`` reads as Chinese: at least 30% of the letters in its first ``sample``
    characters are CJK ideographs (Latin words, numbers and markup names are common)."""
    head = text[:sample]
    letters = len(_LETTER_RE.findall(head))
    return bool(letters) and len(_CJK_RE.findall(head)) >= _CJK_SHARE * letters


def _is_furniture(line: str) -> bool:
    if _FURNITURE_RE.match(line):
        return not _SHORT_ONLY_RE.match(line) or len(line) <= _SHORT_LINE
    if len(line) <= _NOTICE_LINE and _FURNITURE_PHRASE_RE.search(line):
        return "。" not in line or bool(_LEGAL_RE.search(line))
    if _END_RE.match(line) or _EDITION_RE.match(line):
        return True
    if len(line) <= _DATELINE_MAX and _DATETIME_RE.search(line):
        rest = _DATETIME_RE.sub("", line)
        return not _CJK_SENTENCE_PUNCT_RE.search(rest) and len(rest.strip()) <= 12
    return False


def clean_lines(lines: list[str]) -> list[str]:
    """Drop the furniture lines of a Chinese article (see the module docstring).

    :param lines: the text's lines, stripped
    :return: the lines that are article text
    """
    kept: list[str] = []
    for line in lines:
        if (
            _CJK_RE.search(line)
            or line.startswith("Notice:")
            or _END_RE.match(line)
            or not _LATIN_RE.search(line)
        ):
            line = _TRAILING_CREDIT_RE.sub("", line).strip()
            if not line or _is_furniture(line):
                continue
        kept.append(line)
    # A recommendation heading followed only by short lines (their titles) ends the article.
    for index in range(len(kept) - 1, -1, -1):
        if _RECOMMEND_HEADING_RE.match(kept[index]):
            if all(len(line) <= _TAIL_ITEM_MAX for line in kept[index + 1 :]):
                kept = kept[:index]
            break
    return kept


def _prose_lines(text: str | None) -> list[str]:
    return [
        line
        for line in (raw.strip() for raw in (text or "").splitlines())
        if len(line) >= 15
        and (
            _CJK_SENTENCE_PUNCT_RE.search(line)
            or (len(line) >= 50 and _LATIN_SENTENCE_RE.search(line))
        )
    ]


def _bigrams(text: str) -> set[str]:
    chars = "".join(text.split())
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def coverage(part: str | None, whole: str | None) -> float:
    """Share of the prose of ``whole`` (its character bigrams) that ``part`` holds too.

    1.0 when ``whole`` has no prose at all.
    """
    wanted = _bigrams("".join(_prose_lines(whole)))
    if not wanted:
        return 1.0
    return len(wanted & _bigrams(part or "")) / len(wanted)


def paragraph_chars(text: str | None) -> int:
    """Characters in lines that read as prose: punctuated sentences, not menus or footers."""
    return sum(len(line) for line in _prose_lines(text))


# --------------------------------------------------------------------------- the DOM

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


def _hidden(element: HtmlElement) -> bool:
    return bool(_HIDDEN_RE.search(element.get("style") or "")) or element.get("hidden") is not None


def block_lines(container: HtmlElement) -> list[str]:
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
        if text and not (linked and len(" ".join(linked.split())) == len(text)
                         and len(text) <= _LINK_LINE_MAX):  # fmt: skip
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


def _own_text(element: HtmlElement) -> tuple[int, int]:
    """(characters, characters inside links) of the text an element holds itself, inline
    children included, block children left out."""
    chars = len((element.text or "").strip())
    linked = 0
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE_TAGS:
            size = len(child.text_content().strip())
            chars += size
            if tag == "a" or child.find(".//a") is not None:
                linked += size
        chars += len((child.tail or "").strip())
    return chars, linked


def densest_block(tree: HtmlElement) -> HtmlElement | None:
    """The element that holds most sentence text, readability-style, or None.

    Paragraphs (``<p>``, ``<li>``...) credit their parent fully and their grandparent by
    half; containers holding text themselves (a ``<div>`` or ``<td>`` of ``<br>``-separated
    lines) credit themselves and, by half, their parent.
    """
    scores: dict[HtmlElement, float] = {}
    for element in tree.iter(*(_PARAGRAPH_TAGS | _CONTAINER_TAGS)):
        if any(a.tag in _SKIP_TAGS for a in element.iterancestors()):
            continue
        chars, linked = _own_text(element)
        own = chars - linked
        if own < _MIN_OWN_CHARS or linked > own:
            continue
        text = element.text_content()
        weight = 1 + min(len(_CJK_SENTENCE_PUNCT_RE.findall(text)), 10) / 10
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
    if not scores:
        return None
    return max(scores, key=scores.__getitem__)


# Separators between an article title and the site or channel names around it.
_TITLE_SEPARATORS_RE = re.compile(r"(\s*(?:_|\||｜|—{1,2}|\s-{1,2}\s|\s–\s|-(?=\S))\s*)")
_SITE_PART_MAX = 12
_HEADLINE_SHARE = 0.5


def _strip_site_names(title: str) -> str:
    pieces = _TITLE_SEPARATORS_RE.split(title)  # part, separator, part, ...
    parts, separators = pieces[0::2], pieces[1::2]
    # Trailing parts as short as a site or channel name go ("_国务院文件_中国政府网"); leading
    # ones too when joined by - or _ ("臺南市政府全球資訊網-新聞稿-"), not by ｜ ("专访｜...").
    while len(parts) > 1 and len(parts[-1].strip()) <= _SITE_PART_MAX:
        parts.pop()
        separators.pop()
    while (
        len(parts) > 1
        and len(parts[0].strip()) <= _SITE_PART_MAX
        and not re.search(r"[|｜]", separators[0])
    ):
        parts.pop(0)
        separators.pop(0)
    joined = parts[0] + "".join(sep + part for sep, part in zip(separators, parts[1:], strict=True))
    return joined.strip() or title


def headline(tree: HtmlElement, title: str | None) -> str | None:
    """The article's title on a Chinese page, rather than the page's or the site's.

    The first ``<h1>`` wins when the page title (``og:title`` or ``<title>``; ``title`` when
    the page has neither) holds it and it is not just the site's name; else the page title
    without the site and channel names around it.

    :param tree: the parsed page
    :param title: the title found so far (trafilatura's)
    """
    candidates = [
        " ".join(value.split())
        for value in (
            *tree.xpath('//meta[@property="og:title"]/@content'),
            tree.findtext(".//title") or "",
        )
        if value and value.strip()
    ] or ([" ".join(title.split())] if title else [])
    if not candidates:
        return title
    core = _strip_site_names(candidates[0])
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text and any(text in c for c in candidates) and len(text) >= _HEADLINE_SHARE * len(core):
            return text
        break
    if title and title in core:
        return title
    return core


# trafilatura's precision mode is kept when it keeps this share of the default mode's prose.
_PRECISION_KEEPS = 0.9
# The densest block replaces trafilatura's text when it has this many times its prose, or
# holds this share of its prose and trafilatura's text is this much longer (menus, lists,
# footers around it) or has fewer than 1/_MERGED_LINES of its lines.
_BIGGER_BLOCK = 1.3
_BLOCK_COVERS = 0.85
_DUMP_RATIO = 1.25
_MERGED_LINES = 2


def _cleaned(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "\n".join(clean_lines(lines))


def refine(tree: HtmlElement, url: str, text: str) -> str:
    """Improve on trafilatura's text of a Chinese page.

    Chinese news pages carry more furniture than trafilatura's default mode drops: its
    precision mode wins unless it loses prose (it drops whole bodies of some older
    news.163.com pages). Text in ``<br>``-separated ``<div>``s or table cells defeats both
    modes: the densest block of sentences wins where trafilatura took a smaller block (reader
    comments in ``<p>``s over an article in lines), took it with the page around it, or ran its
    paragraphs together into a few long lines. Furniture lines and a leading ``<h1>`` go.

    :param tree: the parsed page (not modified)
    :param url: the page URL
    :param text: trafilatura's text in its default mode
    :return: the text, one paragraph per line
    """
    # The options of crawler.extract's run, in precision mode.
    precise = trafilatura.bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False, include_tables=True,
        deduplicate=False, with_metadata=False,
    )  # fmt: skip
    text = _cleaned(text)
    precise_text = _cleaned(precise.text if precise is not None else None)
    if precise_text and coverage(precise_text, text) >= _PRECISION_KEEPS:
        text = precise_text
    block = densest_block(tree)
    if block is not None:
        block_text = _cleaned("\n".join(block_lines(block)))
        bigger = paragraph_chars(block_text) >= _BIGGER_BLOCK * paragraph_chars(text)
        dump = len(text) > _DUMP_RATIO * len(block_text)
        merged = (
            _MERGED_LINES * text.count("\n") < block_text.count("\n")
            and len(block_text) <= _DUMP_RATIO * len(text)
        )
        if bigger or (coverage(block_text, text) >= _BLOCK_COVERS and (dump or merged)):
            text = block_text
    lines = text.splitlines()
    h1 = " ".join(tree.xpath("string(//h1)").split())
    if lines and h1 and " ".join(lines[0].split()) == h1:
        lines = lines[1:]
    return "\n".join(lines)
