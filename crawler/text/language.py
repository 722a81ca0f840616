"""Language detection with py3langid, as ISO 639-1 codes."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["detect_language", "normalize_language"]

# Below this many characters, a declared language beats the classifier.
MIN_DETECT_CHARS = 40
# Enough text to classify; bounds the cost (the classifier is linear in the text).
_MAX_DETECT_CHARS = 2_000
# Han characters with (next to) no kana or hangul are Chinese: no classifier needed.
# Japanese text has kana in nearly every sentence, Korean is written in hangul; a Chinese
# text may quote a Japanese name, and has "・" (U+30FB) where GB2312 puts its middle dot.
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_KANA_HANGUL_RE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")
_KANA_SHARE = 0.05
_HAN_SHARE = 0.3
_LETTER_RE = re.compile(r"[^\W\d_]")
# For short text with nothing declared, trust the classifier only above this probability.
_SHORT_TEXT_CONFIDENCE = 0.5

# py3langid's model has labels without an ISO 639-1 code: fold them into the macrolanguage
# (Traditional Chinese news is often labelled yue, for instance).
_TO_ISO639_1 = {
    "yue": "zh",
    "wuu": "zh",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "ary": "ar",
    "arz": "ar",
    "uzs": "uz",
    "sdh": "ku",
    "gug": "gn",
    "fuv": "ff",
    "kik": "ki",
    "ltg": "lv",
    "fra": "fr",
    "fre": "fr",
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "jpn": "ja",
    "kor": "ko",
}
_LANG_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")


@cache
def _identifier() -> LanguageIdentifier:
    # Loading the model takes about half a second: once per process.
    # py3langid (and numpy) imported here: only where text is classified (issue 10)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def normalize_language(tag: str | None) -> str | None:
    """Turn a language tag into an ISO 639-1 code.

    :param tag: a BCP 47 tag or Content-Language value, e.g. ``"zh-CN"``, ``"fr_FR"``,
        ``"en, fr"``
    :return: ``"zh"``, ``"fr"``...; ``None`` if the tag has no ISO 639-1 code
    """
    if not tag:
        return None
    match = _LANG_TAG_RE.match(tag.split(",")[0].strip())
    if not match:
        return None
    code = match.group().lower()
    code = _TO_ISO639_1.get(code, code)
    return code if len(code) == 2 else None


def _classify(text: str) -> tuple[str | None, float]:
    ranked = _identifier().rank(text[:_MAX_DETECT_CHARS])
    if not ranked or ranked[0][0] == "zxx":  # "no linguistic content"
        return None, 0.0
    scores: dict[str, float] = defaultdict(float)
    for label, score in ranked:
        code = normalize_language(label)
        if code:
            scores[code] += score
    if not scores:
        return None, 0.0
    code = max(scores, key=scores.__getitem__)
    return code, scores[code]


def detect_language(text: str, declared: str | None = None) -> str | None:
    """Detect the language of a text.

    The declared language (html ``lang``, Content-Language) is used only when the text is too
    short to classify or the classifier finds nothing.

    :param text: the text to classify, e.g. an article's body
    :param declared: the language the page declares, any BCP 47 form (``"zh-CN"``)
    :return: an ISO 639-1 code such as ``"zh"`` or ``"fr"``, or ``None``
    """
    stripped = text.strip() if text else ""
    if not stripped:
        return None
    fallback = normalize_language(declared)
    short = len(stripped) < MIN_DETECT_CHARS
    if (short and fallback) or not any(c.isalpha() for c in stripped[:_MAX_DETECT_CHARS]):
        return fallback
    sample = stripped[:_MAX_DETECT_CHARS]
    han = len(_HAN_RE.findall(sample))
    if (
        han >= _HAN_SHARE * len(_LETTER_RE.findall(sample))
        and len(_KANA_HANGUL_RE.findall(sample)) <= _KANA_SHARE * han
    ):
        return "zh"
    try:
        code, confidence = _classify(stripped)
    except Exception:  # a classifier failure must not lose the article
        return fallback
    if code is None or (short and confidence < _SHORT_TEXT_CONFIDENCE):
        return fallback
    return code
