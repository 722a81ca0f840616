"""Published text that holds UTF-8 once read as a single-byte charset, read right again.

A site's content system that once decoded UTF-8 as Windows-1252 or Windows-1251 and stored
the result publishes ``donâ€™t`` or ``вЂњquoteвЂќ`` in pages whose own charset is declared
right: no choice of charset recovers it, but the bytes the wrong codec saw do. ftfy
(``fix_encoding``) reverses such a reading where it is unambiguous and leaves text it is not
sure of alone; the search here only spares it the texts without a trace of one.
"""

from __future__ import annotations

import re

from ftfy import fix_encoding

__all__ = ["repair_misread_utf8"]

# The charsets whose reading of UTF-8 a published page is seen to hold.
_MISREADING_CODECS = ("cp1252", "latin-1", "cp1251")


def _as_read(first: int, last: int, codec: str) -> str:
    """A regex character class: the bytes ``first``..``last`` as ``codec`` renders them."""
    return f"[{re.escape(bytes(range(first, last + 1)).decode(codec, errors='ignore'))}]"


# A lead byte of a UTF-8 sequence and a continuation byte, as each codec renders them
# ("Ã©", "â€", "Рё", "вЂ")...
_TRACE_RE = re.compile("|".join(
    _as_read(0xC2, 0xF4, codec) + _as_read(0x80, 0xBF, codec) for codec in _MISREADING_CODECS))
# ...and a quotation mark or dash (U+2010-U+203F, UTF-8 E2 80 xx) misread: three characters
# no one writes ("â€™", "вЂњ"), a trace on its own.
_PUNCTUATION_RE = re.compile("|".join(
    re.escape(bytes([0xE2, 0x80]).decode(codec)) + _as_read(0x80, 0xBF, codec)
    for codec in _MISREADING_CODECS))


def repair_misread_utf8(text: str | None) -> str | None:
    """``text`` with the UTF-8 in it that was read as Windows-1252, Latin-1 or Windows-1251
    read as UTF-8; the same text when it holds fewer than two such traces, or none that can
    be read back for sure.
    """
    if not text:
        return text
    traces = _TRACE_RE.finditer(text)
    if next(traces, None) is None:
        return text
    if next(traces, None) is None and not _PUNCTUATION_RE.search(text):
        return text  # one short trace is as likely a name or a word ("IRMÃ»")
    return fix_encoding(text)

