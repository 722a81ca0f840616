"""Publication dates as Chinese (and other) news sites write them, to ISO 8601.

``parse_date("2025年7月23日 20:03")`` -> ``"2025-07-23T20:03:00+08:00"``. A date without a
time of day comes back as a date (``"2025-07-23"``); a time without a zone is taken in the
site's zone (``tz``, ``Asia/Shanghai`` by default); a time with a zone keeps its offset.
Relative forms (``昨天 12:30``, ``3小时前``, ``刚刚``) count back from ``now``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["DEFAULT_TZ", "parse_date", "published_on_page"]

DEFAULT_TZ = "Asia/Shanghai"

# Dates before this are not publication dates of web pages (and 1970 is an empty timestamp).
_MIN_YEAR = 1991
_ROC_OFFSET = 1911  # 民國 year + 1911 = Gregorian year (Taiwan)

_TIME = (
    r"(?:(?P<ampm>上午|下午|早上|中午|晚上|凌晨|AM|PM|am|pm)\s*)?"
    r"(?P<H>\d{1,2})\s*[:时時]\s*(?P<M>\d{2})(?:\s*[:分]\s*(?P<S>\d{2})(?:\.\d+)?)?\s*秒?"
    r"(?:\s*(?P<ampm2>AM|PM|am|pm|a\.m\.|p\.m\.))?"
    r"(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})(?![\d:]))?"
)
# 2025年7月23日 20:03, 2025-07-23 20:03:00, 2025/7/23, 2025.07.23, 2025-07-23T12:03:00Z
_YMD_RE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(?P<d>\d{1,2})(?![\d.])\s*[日号號]?"
    r"(?:\s*[(（]?(?:星期|周|週|禮拜|礼拜)[一二三四五六日天][)）]?)?"
    r"(?:(?:\s*|T)" + _TIME + r")?"
)
# 民國114年7月23日, 114/07/23 (Taiwan)
_ROC_RE = re.compile(
    r"(?:民國|民国)?\s*(?<!\d)(?P<y>1[0-4]\d)\s*(?:年|[-/.])\s*(?P<m>\d{1,2})\s*(?:月|[-/.])\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?(?:\s*" + _TIME + r")?"
)
# 07-23 20:03, 7月23日 20:03 (this year, or last year if that would be in the future)
_MD_RE = re.compile(
    r"(?<![\d.:/-])(?P<m>\d{1,2})\s*(?:-|/|月)\s*(?P<d>\d{1,2})(?![\d/-])\s*[日号號]?"
    r"(?:\s*" + _TIME + r")?"
)
# Weibo's short form: 25-5-8 22:17 (two-digit year, always with a time)
_YY_RE = re.compile(
    r"(?<![\d.:/-])(?P<y>\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)\s+" + _TIME
)
_TIME_ONLY_RE = re.compile(r"^\s*" + _TIME + r"\s*$")
_DAY_WORDS = {
    "今天": 0, "今日": 0,
    "昨天": 1, "昨日": 1,
    "前天": 2, "前日": 2,
}  # fmt: skip
_DAY_WORD_RE = re.compile(r"(?P<word>今天|今日|昨天|昨日|前天|前日)\s*(?:" + _TIME + r")?")
_JUST_NOW_RE = re.compile(r"刚刚|剛剛|刚才|剛才|just now", re.IGNORECASE)
_AGO_RE = re.compile(
    r"(?P<n>\d+|半|一|两|兩|几|幾)\s*(?:个|個)?\s*"
    r"(?P<unit>秒|分钟|分鐘|分|小时|小時|钟头|鐘頭|天|日|周|週|星期|个月|個月|月|年)\s*(?:以?前)"
    r"|(?P<en>\d+)\s*(?P<enunit>second|minute|min|hour|hr|day|week)s?\s+ago",
    re.IGNORECASE,
)
_UNIX_RE = re.compile(r"^\s*(?P<ts>\d{10}|\d{13})(?:\.\d+)?\s*$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january", "janv", "janvier"),
            ("feb", "february", "fév", "fev", "février", "fevrier"),
            ("mar", "march", "mars"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin"),
            ("jul", "july", "juil", "juillet"),
            ("aug", "august", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "déc", "décembre", "decembre"),
        ),
        start=1,
    )
    for m in names
}
_MONTH_NAME = r"(?P<mon>[A-Za-zéû]{3,9})\.?"
# July 23, 2025 8:03 PM / Jul 23 2025
_EN_MDY_RE = re.compile(
    r"\b" + _MONTH_NAME + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
    r"(?:,?\s*(?:at\s+)?" + _TIME + r")?"
)
# 23 July 2025 / 13 mai 2025 à 8h30
_EN_DMY_RE = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\s+" + _MONTH_NAME + r"\s+(?P<y>(?:19|20)\d{2})\b"
    r"(?:,?\s*(?:at|à)?\s*(?:(?P<fh>\d{1,2})h(?P<fm>\d{2})|" + _TIME + r"))?"
)
# Weibo: Wed Oct 19 23:44:36 +0800 2022
_CTIME_RE = re.compile(
    r"\b[A-Z][a-z]{2}\s+" + _MONTH_NAME + r"\s+(?P<d>\d{1,2})"
    r"\s+(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})\s+(?P<tz>[+-]\d{4})\s+(?P<y>\d{4})\b"
)
_RFC_RE = re.compile(r"^\s*(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d")


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8)) if name == DEFAULT_TZ else UTC


def _offset(value: str) -> tzinfo:
    if value.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _hour(groups: dict[str, str | None]) -> int:
    hour = int(groups["H"] or 0)
    marker = (groups.get("ampm") or groups.get("ampm2") or "").lower().replace(".", "")
    if marker in ("下午", "晚上", "pm") and hour < 12 or marker in ("中午",) and hour < 11:
        hour += 12
    elif marker in ("上午", "早上", "凌晨", "am") and hour == 12:
        hour = 0
    return hour


def _build(
    year: int, month: int, day: int, groups: dict[str, str | None], zone: tzinfo
) -> str | None:
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    if year < _MIN_YEAR:
        return None
    if groups.get("H") is None:
        return day_value.isoformat()
    try:
        moment = datetime(
            year, month, day, _hour(groups), int(groups["M"] or 0), int(groups.get("S") or 0)
        )
    except ValueError:
        return day_value.isoformat()
    tz_text = groups.get("tz")
    moment = moment.replace(tzinfo=_offset(tz_text) if tz_text else zone)
    return moment.isoformat()


def _now(now: datetime | None, zone: tzinfo) -> datetime:
    if now is None:
        return datetime.now(zone)
    if now.tzinfo is None:
        return now.replace(tzinfo=zone)
    return now.astimezone(zone)


def _relative(text: str, current: datetime) -> str | None:
    if _JUST_NOW_RE.search(text):
        return current.replace(microsecond=0).isoformat()
    match = _AGO_RE.search(text)
    if match:
        if match.group("en"):
            count = int(match.group("en"))
            unit = match.group("enunit").lower()
            unit = {"second": "秒", "minute": "分", "min": "分", "hour": "小时", "hr": "小时",
                    "day": "天", "week": "周"}[unit]  # fmt: skip
        else:
            raw = match.group("n")
            count = {"半": 0, "一": 1, "两": 2, "兩": 2, "几": 3, "幾": 3}.get(raw)
            if count is None:
                count = int(raw)
            unit = match.group("unit")
            if raw == "半":  # 半小时前, 半天前...
                count, unit = (30, "分") if unit in ("小时", "小時", "钟头", "鐘頭") else (0, unit)
        if unit in ("秒",):
            return (current - timedelta(seconds=count)).replace(microsecond=0).isoformat()
        if unit in ("分钟", "分鐘", "分"):
            return (current - timedelta(minutes=count)).replace(microsecond=0).isoformat()
        if unit in ("小时", "小時", "钟头", "鐘頭"):
            return (current - timedelta(hours=count)).replace(microsecond=0).isoformat()
        if unit in ("天", "日"):
            return (current - timedelta(days=count)).date().isoformat()
        if unit in ("周", "週", "星期"):
            return (current - timedelta(weeks=count)).date().isoformat()
        return None  # months and years ago: too vague to be a publication date
    match = _DAY_WORD_RE.search(text)
    if match:
        day = (current - timedelta(days=_DAY_WORDS[match.group("word")])).date()
        return _build(day.year, day.month, day.day, match.groupdict(), current.tzinfo)
    match = _TIME_ONLY_RE.match(text)
    if match:  # "20:03" alone: today, as lists of today's news show it
        day = current.date()
        return _build(day.year, day.month, day.day, match.groupdict(), current.tzinfo)
    return None


def _month_day(text: str, current: datetime, zone: tzinfo) -> str | None:
    for match in _MD_RE.finditer(text):
        groups = match.groupdict()
        # "07-23" alone could be anything; a separator other than 月 needs a time with it.
        if "月" not in match.group(0) and groups.get("H") is None:
            continue
        month, day = int(groups["m"]), int(groups["d"])
        year = current.year
        try:
            if date(year, month, day) > current.date():
                year -= 1  # "12-31 23:59" seen on 1 January is last year's
        except ValueError:
            continue
        result = _build(year, month, day, groups, zone)
        if result:
            return result
    return None


def _english(text: str, zone: tzinfo) -> str | None:
    match = _CTIME_RE.search(text)
    if match and match.group("mon").lower() in _MONTHS:
        groups = match.groupdict()
        return _build(int(groups["y"]), _MONTHS[groups["mon"].lower()], int(groups["d"]),
                      groups, zone)  # fmt: skip
    if _RFC_RE.match(text):
        try:
            moment = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None and moment.year >= _MIN_YEAR:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            return moment.isoformat()
    for pattern in (_EN_MDY_RE, _EN_DMY_RE):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = _MONTHS.get(groups["mon"].lower())
            if month is None:
                continue
            if groups.get("fh"):  # French "8h30"
                groups = {**groups, "H": groups["fh"], "M": groups["fm"]}
            result = _build(int(groups["y"]), month, int(groups["d"]), groups, zone)
            if result:
                return result
    return None


def parse_date(text: str | None, now: datetime | None = None, tz: str = DEFAULT_TZ) -> str | None:
    """Parse a publication date as news sites write it into ISO 8601.

    Handles ``2025年7月23日 20:03``, ``2025-07-23 20:03:00``, ``2025/07/23``,
    ``2025-07-23T12:03:00Z``, ``07-23 20:03`` and ``7月23日`` (the current year),
    ``昨天 12:30``, ``前天``, ``今天``, ``刚刚``, ``5分钟前``, ``3小时前``, ``2天前``,
    ``民國114年7月23日``, English and French forms (``July 23, 2025``, ``13 mai 2025``),
    RFC 2822 and Weibo's ``Wed Oct 19 23:44:36 +0800 2022``, and unix timestamps (seconds
    or milliseconds). The first date found in ``text`` wins, so a whole byline such as
    ``2025-07-23 20:03:00　来源: 网易号`` can be passed as is.

    :param text: the text holding the date
    :param now: the moment relative dates count back from (default: the current time);
        a naive value is taken in ``tz``
    :param tz: the site's IANA time zone, for times written without a zone
    :return: ``"2025-07-23T20:03:00+08:00"`` when a time of day is given,
        ``"2025-07-23"`` when only the day is, or ``None`` when no date is found
    """
    if not text:
        return None
    if isinstance(text, int | float):
        text = str(text)
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if not text:
        return None
    zone = _zone(tz)

    match = _UNIX_RE.match(text)
    if match:
        stamp = int(match.group("ts"))
        if len(match.group("ts")) == 13:
            stamp //= 1000
        moment = datetime.fromtimestamp(stamp, zone)
        return moment.isoformat() if moment.year >= _MIN_YEAR else None

    for match in _YMD_RE.finditer(text):
        groups = match.groupdict()
        result = _build(int(groups["y"]), int(groups["m"]), int(groups["d"]), groups, zone)
        if result:
            return result

    result = _english(text, zone)
    if result:
        return result

    for match in _ROC_RE.finditer(text):
        # A bare "114/07/23" only where the text starts with it; elsewhere 民國 or 年 must say
        # it is a ROC year.
        if not ("民" in match.group(0) or "年" in match.group(0) or match.start() == 0):
            continue
        groups = match.groupdict()
        result = _build(int(groups["y"]) + _ROC_OFFSET, int(groups["m"]), int(groups["d"]),
                        groups, zone)  # fmt: skip
        if result:
            return result

    for match in _YY_RE.finditer(text):
        groups = match.groupdict()
        result = _build(2000 + int(groups["y"]), int(groups["m"]), int(groups["d"]), groups, zone)
        if result:
            return result

    current = _now(now, zone)
    return _month_day(text, current, zone) or _relative(text, current)


# Where pages state their publication time, most reliable first.
_META_DATE_XPATH = (
    '//meta[@property="article:published_time" or @name="article:published_time"'
    ' or @property="og:release_date" or @name="publishdate" or @name="PubDate"'
    ' or @name="pubdate" or @name="ptime" or @name="firstpublishedtime"'
    ' or normalize-space(@name)="og:time" or @name="weibo: article:create_at"'
    ' or @itemprop="datePublished"]/@content'
    ' | //*[@itemprop="datePublished"]/@datetime'
)
# Labels Chinese pages put before the publication date in the text.
_LABEL_RE = re.compile(
    r"(?:发布时间|發布時間|发布日期|發布日期|發佈時間|發佈日期|发表时间|發表時間|发表于|發表於"
    r"|刊登日期|出版日期)\s*[:：]?\s*"
)
# What may follow a label: a date, not a place ("发布于北京" on some sites is the IP region).
_DATE_START_RE = re.compile(r"\s*(?:[\d０-９]|今天|今日|昨天|昨日|前天|刚刚|剛剛|民國|民国)")
_BODY_TEXT_XPATH = "//body//text()[not(ancestor::script or ancestor::style)]"
_LABEL_WINDOW = 40
_AFTER_TITLE_CHARS = 200


def published_on_page(
    tree: HtmlElement, fallback: str | None = None, tz: str = DEFAULT_TZ
) -> str | None:
    """The publication date or time a (Chinese) page states, as :func:`parse_date` gives it.

    In order: publication meta tags; a date after a label in the text (``发布时间：``,
    ``發布日期：``, ``发表于``); ``fallback`` (a date found by other means, e.g. trafilatura's);
    the first date in the text after the ``<h1>``.

    :param tree: the parsed page
    :param fallback: a date to use when neither meta tags nor labels give one
    :param tz: the site's time zone, for times written without one
    """
    for value in tree.xpath(_META_DATE_XPATH):
        found = parse_date(value, tz=tz)
        if found:
            return found
    text = "".join(tree.xpath(_BODY_TEXT_XPATH))
    for match in _LABEL_RE.finditer(text):
        window = text[match.end() : match.end() + _LABEL_WINDOW]
        found = parse_date(window, tz=tz) if _DATE_START_RE.match(window) else None
        if found:
            return found
    if fallback:
        return fallback
    for heading in tree.iter("h1"):
        after = "".join(
            heading.xpath("following::text()[not(ancestor::script or ancestor::style)]")
        )[:_AFTER_TITLE_CHARS]
        return parse_date(after, tz=tz)
    return None
