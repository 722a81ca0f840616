"""Search folding: the form of a text that the full-text index and the search queries share.

:func:`fold` converts Traditional Chinese characters to Simplified ones with OpenCC's
``t2s`` configuration (character and phrase tables: 數據標注 and 數據標註 both become
数据标注) and full-width Latin letters and digits to ASCII (ＡＩ becomes AI). The archive
keeps a folded copy of an article's title and text beside the original when folding changes
something (``crawler.store.search_index``), and searches fold the query the same way, so
either script finds the other. Only characters change, never their number, so a position in
the folded text is the same position in the original.

``t2s`` rather than ``tw2s`` or ``hk2s``: those also rewrite Simplified text (显著 becomes
显着), which would give every Simplified article a folded copy that differs from it.
"""

from __future__ import annotations

from functools import cache

__all__ = ["fold", "folded_lines", "folded_or_none", "whole_folded"]

# Full-width ASCII variants (U+FF01..U+FF5E) of letters and digits, as Chinese pages often
# write Latin acronyms. Full-width punctuation is left alone: it is ordinary in Chinese text.
_FULLWIDTH = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}


@cache
def _converter():  # -> opencc.OpenCC; imported on first use (it loads its dictionaries)
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """``text`` as the search index compares it: Simplified characters, ASCII letters.

    :param text: any text
    :return: a string of the same length
    """
    if not text:
        return text
    if not text.isascii():
        text = text.translate(_FULLWIDTH)
        converted = _converter().convert(text)
        if len(converted) != len(text):
            # A phrase table entry changed the length somewhere: positions must hold, so
            # convert line by line and keep the original of any line that changed length.
            lines = text.split("\n")
            converted = "\n".join(c if len(c) == len(line) else line for line, c in
                                  zip(lines, map(_converter().convert, lines), strict=True))
        text = converted
    return text


def folded_or_none(text: str | None) -> str | None:
    """:func:`fold` of ``text`` when it differs from ``text``, else None (nothing to store)."""
    if not text:
        return None
    folded = fold(text)
    return folded if folded != text else None


def folded_lines(text: str | None) -> str | None:
    """The lines of ``text`` that folding changes, folded, with the other lines left empty
    (so that line numbers, and positions within a line, match the original); None when
    folding changes nothing.

    What the archive stores beside an article's text: a Simplified article quoting one
    Traditional paragraph keeps a copy of that paragraph only.
    """
    folded = folded_or_none(text)
    if folded is None or text is None:
        return None
    return "\n".join(new if new != old else ""
                     for old, new in zip(text.split("\n"), folded.split("\n"), strict=True))


def whole_folded(text: str, lines: str | None) -> str:
    """The folded form of all of ``text``, from its :func:`folded_lines` (None: ``text``
    is its own folded form)."""
    if not lines:
        return text
    old, new = text.split("\n"), lines.split("\n")
    if len(old) != len(new):  # not made from this text: fold it again
        return fold(text)
    return "\n".join(n or o for o, n in zip(old, new, strict=True))
