"""Bytes to text for HTML bodies: find the right charset, and tell text that was not.

Order: byte order mark, HTTP ``Content-Type`` charset, ``<meta>`` declaration in the first
4 KB, then detection; UTF-8 by default. Declarations are checked against the bytes, because
Chinese sites often declare gb2312/gbk and serve UTF-8, and a Chinese declaration against what
the text says: Big5 bytes decode as GB18030 without a single error, into text no one wrote
(:func:`chinese_plausibility`). :func:`looks_mojibake` tells an extracted text that was
decoded wrong, whatever the page said.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from functools import cache

from charset_normalizer import from_bytes
from charset_normalizer.constant import FREQUENCIES
from w3lib.encoding import read_bom, resolve_encoding

__all__ = [
    "DecodedText",
    "charset_from_content_type",
    "chinese_plausibility",
    "decode_html",
    "looks_mojibake",
]

# WHATWG labels that Python's codec registry (hence w3lib) does not know.
_EXTRA_LABELS = {
    "x-gbk": "gb18030",
    "windows-936": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312": "gb18030",
    "csiso58gb231280": "gb18030",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
}

_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
_COMMENT_RE = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META_RE = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:+-]+)""", re.IGNORECASE)
_BODY_RE = re.compile(rb"<body\b", re.IGNORECASE)

_PRESCAN_BYTES = 4096
# A declaration that fails to decode stands unless another codec makes this many times fewer
# errors, and only past a few errors: a stray bad byte is not evidence.
_ERROR_RATIO = 10
_MIN_ERRORS = 4


# --- plausibility of Chinese text -------------------------------------------------------------
# Characters a wrong decoding of GBK, Big5 or UTF-8 bytes spreads over: CJK (ideographs,
# symbols, kana, hangul, fullwidth forms), Greek and Cyrillic, box drawing, private use.
_WIDE_RE = re.compile(
    r"[\u0370-\u04ff\u2460-\u257f\u2e80-\u9fff\uac00-\ud7af\ue000-\ufaff\uff00-\uffef"
    r"\U00020000-\U0002ffff]"
)
_CJK_PUNCTUATION = "、。，！？：；「」『』（）《》〈〉【】“”‘’…—·\u3000"
_SIMPLIFIED_TO_TRADITIONAL = str.maketrans(
    "这个们来为国说时会对过发后里种经么学现当没动还进样开实从于着长问",
    "這個們來為國說時會對過發後裡種經麼學現當沒動還進樣開實從於著長問",
)
_SAMPLE_WIDE = 5000
_SAMPLE_TEXT = 200_000
_MIN_WIDE = 20
# Real Chinese text, whole pages included: >= 0.97 common and >= 0.14 frequent. A wrong
# decoding: <= 0.6 common (Big5 read as GB18030, GBK as Big5) or <= 0.03 frequent (EUC-KR
# read as GBK lands on common characters, in no order Chinese has).
_PLAUSIBLE_COMMON, _PLAUSIBLE_FREQUENT = 0.85, 0.06
_MOJIBAKE_COMMON, _MOJIBAKE_FREQUENT = 0.7, 0.03
_MOJIBAKE_MIN_WIDE = 50
# Fewer distinct wide characters than this are too few to judge by the most frequent ones.
_VARIED = 40
_LATIN_MOJIBAKE_RE = re.compile(r"Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]")
# GBK or Big5 bytes read as Latin-1: accented letters and symbols by the hundred, where French
# text has one in twenty letters.
_HIGH_LATIN1_RE = re.compile(r"[\u0080-\u00ff]")
_HIGH_LATIN1_SHARE, _HIGH_LATIN1_MIN = 0.3, 30
_LETTERS_RE = re.compile(r"[^\W\d_]")


def _two_byte_chars(codec: str, leads: range, trails: list[int]) -> set[str]:
    found = set()
    for lead in leads:
        for trail in trails:
            with contextlib.suppress(UnicodeDecodeError):
                found.add(bytes((lead, trail)).decode(codec))
    return found


@cache
def _common_chars() -> frozenset[str]:
    # GB2312 level 1 (the 3,755 most used simplified characters) and Big5 level 1 (the 5,401
    # most used traditional ones), read from Python's own codecs, plus CJK punctuation.
    gb2312 = _two_byte_chars("gb2312", range(0xB0, 0xD8), list(range(0xA1, 0xFF)))
    big5 = _two_byte_chars("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    return frozenset(gb2312 | {c for c in big5 if "\u4e00" <= c <= "\u9fff"}
                     | set(_CJK_PUNCTUATION))  # fmt: skip


@cache
def _frequent_chars() -> frozenset[str]:
    # The 100 most frequent characters of Chinese (charset-normalizer's table), in both
    # simplified and traditional forms: about a quarter of any Chinese text.
    simplified = "".join(FREQUENCIES["Chinese"])
    return frozenset(simplified + simplified.translate(_SIMPLIFIED_TO_TRADITIONAL) + "裏")


def chinese_plausibility(text: str) -> tuple[float, float] | None:
    """How much ``text`` reads as Chinese someone wrote, rather than bytes decoded wrong.

    :return: (share of its CJK-range characters that are common Chinese characters or
        punctuation, share that are among the 100 most frequent), over its first 5,000 such
        characters; ``None`` when it has fewer than 20
    """
    scores = _scores(text)
    return scores[1:] if scores[0] >= _MIN_WIDE else None


def _scores(text: str, found: list[str] | None = None) -> tuple[int, float, float]:
    wide = (found if found is not None else _WIDE_RE.findall(text, 0, _SAMPLE_TEXT))[:_SAMPLE_WIDE]
    if not wide:
        return 0, 0.0, 0.0
    common, frequent = _common_chars(), _frequent_chars()
    return (len(wide), sum(map(common.__contains__, wide)) / len(wide),
            sum(map(frequent.__contains__, wide)) / len(wide))  # fmt: skip


# Japanese and Korean text is wide too, and reads as no Chinese. Japanese as written is a third
# or more hiragana, its particles among them; Chinese read as Shift_JIS or EUC-JP is kanji and
# half-width katakana with next to no hiragana, UTF-8 Japanese read as Shift_JIS kanji alone
# (縺、繧、繝). Korean as written is mostly hangul, a handful of syllables a good share of it;
# GBK read as EUC-KR is hangul too, but spread evenly over the syllables.
_HIRAGANA_RE = re.compile(r"[\u3041-\u309f]")
_HALFWIDTH_KANA_RE = re.compile(r"[\uff61-\uff9f]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
_JAPANESE_PARTICLES = frozenset("のにはをたがでてとしい")
_KOREAN_FREQUENT = frozenset("이다의는에하고을가지기사로한서리도들인대")
_HIRAGANA_SHARE, _PARTICLE_SHARE, _HALFWIDTH_SHARE = 0.15, 0.25, 0.05
_HANGUL_SHARE, _KOREAN_FREQUENT_SHARE = 0.3, 0.12


# Greek and Cyrillic as written are words between spaces, mostly lower case; Chinese bytes read
# as Windows-1251 or ISO 8859-7 are runs without a space, upper and lower case mixed.
_GREEK_CYRILLIC_RE = re.compile(r"[\u0370-\u04ff]+")
_ALPHABET_SHARE, _WORD_RUN, _LOWER_SHARE = 0.5, 12, 0.65


def _reads_as_another_script(text: str, wide: int) -> bool:
    """Whether wide text that is no Chinese reads as Japanese, Korean, Greek or Russian (any
    Cyrillic) someone wrote, rather than bytes decoded with the wrong charset.

    :param wide: how many wide characters the first ``_SAMPLE_TEXT`` characters hold
    """
    sample = text[:_SAMPLE_TEXT]
    if not wide:
        return False
    runs = _GREEK_CYRILLIC_RE.findall(sample)
    letters = sum(map(len, runs))
    if letters >= _ALPHABET_SHARE * wide:
        lower = sum(ch.islower() for run in runs for ch in run)
        return letters <= _WORD_RUN * len(runs) and lower >= _LOWER_SHARE * letters
    hiragana = _HIRAGANA_RE.findall(sample)
    if len(hiragana) >= _HIRAGANA_SHARE * wide:
        particles = sum(map(_JAPANESE_PARTICLES.__contains__, hiragana))
        halfwidth = len(_HALFWIDTH_KANA_RE.findall(sample))
        return particles >= _PARTICLE_SHARE * len(hiragana) and halfwidth < _HALFWIDTH_SHARE * wide
    hangul = _HANGUL_RE.findall(sample)
    if len(hangul) >= _HANGUL_SHARE * wide:
        frequent = sum(map(_KOREAN_FREQUENT.__contains__, hangul))
        return frequent >= _KOREAN_FREQUENT_SHARE * len(hangul)
    return False


def _plausible(scores: tuple[float, float] | None) -> bool:
    return scores is None or (
        scores[0] >= _PLAUSIBLE_COMMON and scores[1] >= _PLAUSIBLE_FREQUENT
    )


# A wrong charset turns a large share of a text into U+FFFD; a page saved after a lossy
# conversion, or with a rare character its encoding lacks (a name's 毛�磊), has a few.
_REPLACEMENT_SHARE = 0.02


def looks_mojibake(text: str | None) -> str | None:
    """Why an extracted text looks decoded with the wrong charset, or None when it does not.

    Replacement characters (U+FFFD) in number, Chinese characters in an order and a mix no
    Chinese text has (Big5 read as GB18030...) in a text that is no Japanese, Korean, Greek
    or Cyrillic as written either, UTF-8 read as Windows-1252 (``Ã©``), or multibyte text
    read as Latin-1 (``Ê×Ò³``).

    :return: a short reason such as ``"implausible Chinese (common 0.41, frequent 0.01)"``
    """
    if not text:
        return None
    replacements = text.count("\ufffd")
    if replacements >= 3 and replacements > _REPLACEMENT_SHARE * len(text):
        return f"{replacements} replacement characters"
    # (circled numbers and box drawing are a diagram's, a tree's in <pre>, wherever the text
    # is right; a wrong decoding spreads ideographs with them, which tell it)
    found = [ch for ch in _WIDE_RE.findall(text, 0, _SAMPLE_TEXT) if not "\u2460" <= ch <= "\u257f"]
    wide, common, frequent = _scores(text, found)
    # a line said over and over (此回复已被删除！) tells nothing by its frequencies
    repetitive = frequent < _MOJIBAKE_FREQUENT and len(set(found)) < _VARIED
    if (wide >= _MOJIBAKE_MIN_WIDE
            and (common < _MOJIBAKE_COMMON or (frequent < _MOJIBAKE_FREQUENT and not repetitive))
            and not _reads_as_another_script(text, len(found))):
        return f"implausible Chinese (common {common:.2f}, frequent {frequent:.2f})"
    latin = len(_LATIN_MOJIBAKE_RE.findall(text))
    if latin >= 3 and latin > 0.002 * len(text):
        return f"{latin} UTF-8 sequences read as Windows-1252"
    high = len(_HIGH_LATIN1_RE.findall(text))
    if high >= _HIGH_LATIN1_MIN and high > _HIGH_LATIN1_SHARE * len(_LETTERS_RE.findall(text)):
        return f"{high} Latin-1 symbols and accents: multibyte text read as Latin-1"
    return None


# --- decoding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecodedText:
    """A decoded body: ``text``; ``encoding``, the Python codec used (``"gb18030"``);
    ``source``, where the charset came from: ``"bom"``, ``"header"``, ``"meta"``,
    ``"detected"`` (detection, or the bytes contradicted the declaration) or ``"default"``.
    """

    text: str
    encoding: str
    source: str


# Python codec name for a charset label, widened as browsers do, or None if unknown.
def _resolve(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _EXTRA_LABELS:
        return _EXTRA_LABELS[label]
    try:
        return resolve_encoding(label)
    except (LookupError, ValueError):
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """Return the codec named by the ``charset`` parameter of a Content-Type value.

    gb2312/gbk/x-gbk/cp936 are widened to gb18030 and big5 to big5hkscs.

    :param content_type: the header value, e.g. ``"text/html; charset=GBK"``
    :return: a Python codec name, or ``None`` if no charset is given or it is unknown
    """
    if not content_type:
        return None
    match = _HEADER_CHARSET_RE.search(content_type)
    return _resolve(match.group(1)) if match else None


def _charset_from_meta(body: bytes) -> str | None:
    head = _COMMENT_RE.sub(b"", body[:_PRESCAN_BYTES])
    xml = _XML_DECL_RE.search(head)
    if xml:
        return _resolve(xml.group(1).decode("ascii"))
    body_tag = _BODY_RE.search(head)
    if body_tag:
        head = head[: body_tag.start()]
    for meta in _META_RE.finditer(head):
        match = _META_CHARSET_RE.search(meta.group())
        if match:
            codec = _resolve(match.group(1).decode("ascii"))
            if codec:
                # A meta tag found by an ASCII scan cannot mean UTF-16/32 (WHATWG).
                return "utf-8" if codec.startswith(("utf-16", "utf-32")) else codec
    return None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _errors(body: bytes, codec: str) -> int:
    return body.decode(codec, errors="replace").count("\ufffd")


def _possible(body: bytes, codec: str) -> bool:
    # UTF-16/32 without a BOM only when the bytes look like it (NULs in ASCII text).
    if codec.startswith(("utf-16", "utf-32")):
        return b"\x00" in body[:1024]
    return True


def _detect(body: bytes) -> str | None:
    best = from_bytes(body).best()
    if best is None:
        return None
    return _resolve(best.encoding)


def _decode(body: bytes, codec: str, source: str) -> DecodedText:
    if codec in ("utf-16", "utf-32"):
        codec += "-be" if body[:1] == b"\x00" else "-le"
    return DecodedText(body.decode(codec, errors="replace"), codec, source)


def decode_html(body: bytes, content_type: str | None = None) -> DecodedText:
    """Decode an HTML body, finding its charset the way a careful browser would.

    Tries the byte order mark, the HTTP Content-Type charset, a ``<meta>`` declaration in the
    first 4 KB, then detection. A declared codec that the bytes contradict is dropped: a page
    declaring gbk that is valid UTF-8 comes out as UTF-8 (``source="detected"``). Undecodable
    bytes become U+FFFD; this never raises on bad bytes. Character references are left as is.

    :param body: the response body as received (after content decoding, e.g. gunzip)
    :param content_type: the HTTP Content-Type header value, if any
    :return: the text, the Python codec used and where the charset came from
        (``"bom"``, ``"header"``, ``"meta"``, ``"detected"`` or ``"default"``)
    """
    bom_codec, bom = read_bom(body)
    if bom_codec and bom:
        return DecodedText(body[len(bom) :].decode(bom_codec, errors="replace"), bom_codec, "bom")

    declared: list[tuple[str, str]] = []
    for codec, source in (
        (charset_from_content_type(content_type), "header"),
        (_charset_from_meta(body), "meta"),
    ):
        if codec and _possible(body, codec) and codec not in (c for c, _ in declared):
            declared.append((codec, source))

    is_ascii = body.isascii()
    utf8_ok = not is_ascii and _decodes(body, "utf-8")
    if utf8_ok:
        # GBK or Big5 text is practically never valid UTF-8, so valid UTF-8 with non-ASCII
        # bytes overrides any declaration.
        for codec, source in declared:
            if codec == "utf-8":
                return _decode(body, codec, source)
        return _decode(body, "utf-8", "detected")
    if is_ascii:
        if declared:
            return _decode(body, *declared[0])
        return _decode(body, "utf-8", "default")

    for codec, source in declared:
        text = _clean(body, codec)
        if text is None:
            continue
        if codec in _CHINESE_CODECS and not _plausible(chinese_plausibility(text)):
            # A Chinese declaration whose text reads as no Chinese (Big5 declared gb2312):
            # the other Chinese codec if it reads as Chinese, else detection.
            chinese = _best_chinese(body)
            if chinese is not None:
                return DecodedText(chinese[1], chinese[0], "detected")
            detected = _detect(body)
            other = _clean(body, detected) if detected and detected != codec else None
            if other is not None:
                return DecodedText(other, detected, "detected")
        elif _single_byte(codec):
            # Any bytes decode in a single-byte charset: Chinese bytes under a Western label.
            chinese = _best_chinese(body)
            if chinese is not None:
                return DecodedText(chinese[1], chinese[0], "detected")
        return DecodedText(text, codec, source)

    # Nothing declared, or no declaration decodes: a Chinese codec that reads as Chinese.
    chinese = _best_chinese(body)
    if chinese is not None:
        source = next((source for codec, source in declared if codec == chinese[0]), "detected")
        return DecodedText(chinese[1], chinese[0], source)

    # Nothing decodes cleanly (a UTF-8 page cut mid-character, a GBK page whose server adds
    # charset=utf-8): keep the best declaration unless UTF-8 or detection do far better.
    scored = [(_errors(body, codec), codec, source) for codec, source in declared]
    challengers = ["utf-8"]
    detected = _detect(body)
    if detected and detected != "utf-8":
        challengers.append(detected)
    for codec in challengers:
        if codec not in (c for _, c, _ in scored):
            scored.append((_errors(body, codec), codec, "detected"))
    if not declared:
        errors, codec, source = min(scored, key=lambda s: s[0])
        return _decode(body, codec, "default" if detected is None else source)
    best = min(scored[: len(declared)], key=lambda s: s[0])
    challenger = min(scored[len(declared) :], key=lambda s: s[0], default=best)
    if best[0] >= _MIN_ERRORS and challenger[0] * _ERROR_RATIO < best[0]:
        best = challenger
    return _decode(body, best[1], best[2])


_CHINESE_CODECS = ("gb18030", "big5hkscs")
# A Chinese page may hold a stray bad byte or two (a truncated title, a pasted character).
_STRAY_ERRORS = 2


def _clean(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None
    except LookupError:
        return None


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp125", "iso8859", "latin", "windows-125", "mac-", "koi8"))


def _best_chinese(body: bytes) -> tuple[str, str] | None:
    """(codec, text) of the Chinese codec whose reading of the bytes is plausible Chinese
    (the most plausible if both are), decoding with at most a stray error or two."""
    best: tuple[float, str, str] | None = None
    for codec in _CHINESE_CODECS:
        text = body.decode(codec, errors="replace")
        if text.count("\ufffd") > _STRAY_ERRORS:
            continue
        scores = chinese_plausibility(text)
        if scores is None or not _plausible(scores):
            continue
        if best is None or scores[0] + scores[1] > best[0]:
            best = (scores[0] + scores[1], codec, text)
    return (best[1], best[2]) if best else None
