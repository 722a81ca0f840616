"""Bytes to text for HTML bodies: find the right charset.

Order: byte order mark, HTTP ``Content-Type`` charset, ``<meta>`` declaration in the first
4 KB, then detection (charset-normalizer); UTF-8 by default. Declarations are checked against
the bytes, because Chinese sites often declare gb2312/gbk and serve UTF-8.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import read_bom, resolve_encoding

__all__ = ["DecodedText", "charset_from_content_type", "decode_html"]

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


def _plausible(body: bytes, codec: str) -> bool:
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
        if codec and _plausible(body, codec) and codec not in (c for c, _ in declared):
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
        if _decodes(body, codec):
            return _decode(body, codec, source)

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
