"""Line-level cleaning of Chinese article text: what trafilatura leaves that is not article.

- :func:`clean_lines` drops the furniture lines Chinese sites put inside the body:
  statements (特别声明...), editor and source credits (责任编辑, 本文来源, （編輯：...）),
  original-title notes (原标题), share prompts, app promotions, WeChat follow prompts,
  photo-credit-only lines, date-only lines and print-edition notes, the page's reading controls
  (字号：大 中 小, T + -), and a trailing list of recommended titles.
- :func:`is_cjk` tells Chinese text; :func:`paragraph_chars` and :func:`coverage` measure how
  much prose a text holds, and how much of another text's prose, to choose between results.
"""

from __future__ import annotations

import re

__all__ = ["clean_lines", "coverage", "is_cjk", "is_menu", "paragraph_chars", "prose_lines"]

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]{2}")
# Share of letters that must be CJK for a text to count as Chinese, and share of kana or
# hangul beyond which it is Japanese or Korean (a Chinese page may name a shop "の").
_CJK_SHARE = 0.3
_KANA_HANGUL_RE = re.compile(r"[\u3041-\u30ff\uac00-\ud7af]")
_KANA_HANGUL_SHARE = 0.05
_LATIN_SENTENCE_RE = re.compile(r"\w[.,;!?] \w")
CJK_SENTENCE_PUNCT_RE = re.compile(r"[，。！？；]")

# --------------------------------------------------------------------------- lines

# A whole line that is one of these is page furniture (label, then anything).
_FURNITURE_LABEL = (
    r"(?:特别|特別|免责|免責|平台|平臺|版权|版權|郑重|鄭重"
    # the site's own: 网易声明：, 外汇网声明：
    r"|[\u4e00-\u9fffA-Za-z0-9.]{0,6}?(?:网|網|网易|網易))?(?:声明|聲明)\s*[:：]"
    r"|(?:责任编辑|責任編輯|责编|責編|值班编辑|值班編輯|编辑|編輯|校对|校對|审核|審核|审校|審校"
    r"|监制|監製|终审|終審|初审|初審|排版|美编|美編|策划|策劃|统筹|統籌"
    r"|总监制|總監製|监\s制|監\s製|审\s*读|審\s*讀)\s*[:：丨|｜/]"
    # a summary box above the body, printed apart: [摘要：...] 【摘要】
    r"|(?:内容|內容|文章|本文)?(?:摘要|提要)\s*(?:[】\]]\s*[:：]?|[:：])"
    r"|(?:本文)?(?:来源|來源|出处|出處)\s*[:：]"
    r"|(?:原标题|原標題)\s*[:：]"
    r"|(?:图片|圖片|题图|題圖|封面|头图|頭圖)\s*(?:来源|來源|来自|來自)?\s*[:：丨|｜/]"
    r"|(?:图源|圖源|图|圖)\s*[:：丨|｜/]"
    r"|(?:分享至|分享到)"
    r"|Notice:\s*The content above"
)
_FURNITURE_RE = re.compile(r"^[\[(（【]?\s*(?:" + _FURNITURE_LABEL + r")", re.IGNORECASE)
# An author's bio under the article: "作者为科技商业观察家……", "（作者系某大学教授）"
_BIO_RE = re.compile(r"^[\[(（【]?\s*(?:本文)?作者(?:系|为|為|是|简介|簡介)")
_BIO_LINE = 100
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
    # the mobile site's prompt: "3g.ifeng.com 用手机随时随地看新闻", "手机免费访问 外汇网"
    r"|用手机随时随地|用手機隨時隨地|(?:手机|手機)免费(?:访问|訪問)"
    r"|^(?:更多|查看更多)\s*(?:>>|»|>)?$"
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
# A prompt to follow the site's social page ("香港新浪新聞現已開設Facebook專頁，讓你即時掌握...
# 快點到Facebook Like我們的專頁！"), in a line of at most _FOLLOW_LINE characters.
_FOLLOW_PROMPT_RE = re.compile(
    r"(?:Like|讚好|赞好|關注|关注|追蹤|追踪|訂閱|订阅|加入).{0,12}(?:我們|我们|本站|本報|本报)"
    r"的?(?:Facebook|facebook|臉書|脸书)?\s*(?:專頁|专页|粉絲團|粉丝团)"
)
_FOLLOW_LINE = 120
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
# A line of the page's reading controls only: "T + -", "A+ A-", "字号：大 中 小", "【打印】".
_CONTROL = (
    r"字号|字號|字体|字體|打印本页|打印本頁|打印|列印|关闭窗口|關閉窗口|关闭|關閉|收藏|[大中小]"
    r"|[TtAa]|[+＋\-－]"
)
_CONTROLS_RE = re.compile(
    r"^(?:[\[【(（]?\s*(?:" + _CONTROL + r")\s*[\]】)）]?\s*[:：|｜/]?\s*){2,8}$")


def is_cjk(text: str, sample: int = 5000) -> bool:
    """Whether ``text`` reads as Chinese: at least 30% of the letters in its first ``sample``
    characters are CJK ideographs (Latin words, numbers and markup names are common), and
    not Japanese (kana among them) or Korean (hangul)."""
    head = text[:sample]
    letters = len(_LETTER_RE.findall(head))
    if not letters or len(_KANA_HANGUL_RE.findall(head)) > _KANA_HANGUL_SHARE * letters:
        return False
    return len(_CJK_RE.findall(head)) >= _CJK_SHARE * letters


def _is_furniture(line: str) -> bool:
    if _BIO_RE.match(line) and len(line) <= _BIO_LINE:
        return True
    if _FURNITURE_RE.match(line):
        return not _SHORT_ONLY_RE.match(line) or len(line) <= _SHORT_LINE
    if len(line) <= _FOLLOW_LINE and _FOLLOW_PROMPT_RE.search(line):
        return True
    if len(line) <= _NOTICE_LINE and _FURNITURE_PHRASE_RE.search(line):
        return "。" not in line or bool(_LEGAL_RE.search(line))
    if _END_RE.match(line) or _EDITION_RE.match(line) or _CONTROLS_RE.match(line):
        return True
    if len(line) <= _DATELINE_MAX and _DATETIME_RE.search(line):
        rest = _DATETIME_RE.sub("", line)
        return not CJK_SENTENCE_PUNCT_RE.search(rest) and len(rest.strip()) <= 12
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
    kept = _without_teaser_runs(kept)
    # A recommendation heading followed only by short lines (their titles) ends the article.
    for index in range(len(kept) - 1, -1, -1):
        if _RECOMMEND_HEADING_RE.match(kept[index]):
            if all(len(line) <= _TAIL_ITEM_MAX for line in kept[index + 1 :]):
                kept = kept[:index]
            break
    return kept


# Other stories' headlines, each with its date or comment count ("我国6月减持251亿美元美国国债
# 2009/08/18", "- 朝鲜称半岛要打核战 评论12707条"): _TEASER_RUN of them in a row are a list.
# (numeric dates only: a chronology in the article writes 1997年7月1日)
_TEASER_RE = re.compile(
    r"^(?:[-・•·]\s*)?[^。！？]{6,70}?\s*(?:[(（]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[)）]?|(?:评论|評論)\s*\d+\s*(?:条|條))$"
)
_TEASER_RUN = 3


def _without_teaser_runs(lines: list[str]) -> list[str]:
    kept: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:  # "" ends the last run
        if _TEASER_RE.match(line):
            run.append(line)
            continue
        if len(run) < _TEASER_RUN:
            kept += run
        run = []
        kept.append(line)
    return kept[:-1]


def prose_lines(text: str | None) -> list[str]:
    return [
        line
        for line in (raw.strip() for raw in (text or "").splitlines())
        if len(line) >= 15
        and (
            CJK_SENTENCE_PUNCT_RE.search(line)
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
    wanted = _bigrams("".join(prose_lines(whole)))
    if not wanted:
        return 1.0
    return len(wanted & _bigrams(part or "")) / len(wanted)


def paragraph_chars(text: str | None) -> int:
    """Characters in lines that read as prose: punctuated sentences, not menus or footers."""
    return sum(len(line) for line in prose_lines(text))


# A text of this many lines or more, this short on average and without one sentence, is a
# portal's or a login page's menus: no article.
_MENU_LINES = 8
_MENU_LINE_CHARS = 12


def is_menu(text: str) -> bool:
    """Whether a Chinese text is page navigation rather than an article: many short lines
    (link labels) and not one line that reads as a sentence."""
    lines = text.splitlines()
    return (
        len(lines) >= _MENU_LINES
        and sum(map(len, lines)) < _MENU_LINE_CHARS * len(lines)
        and not prose_lines(text)
    )
