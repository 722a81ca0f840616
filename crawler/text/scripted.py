"""Articles a page holds in a script instead of its markup.

Pages rendered in the browser ship an empty shell (``<div id="app"></div>``) and the article
as a string in a script: an HTML-escaped JavaScript literal (Toutiao's ``var BASE_DATA =
{articleInfo: {content: '&lt;div&gt;&lt;p&gt;...'}}``), or a JSON string in a state blob
(``"content":"\\u003cp\\u003e..."``). Where the markup gives no article, or next to none,
:func:`script_article` finds the longest such string that reads as an article (paragraph
markup, sentences) and gives it as markup, for the generic path to extract as if the page
had rendered it. No site knowledge here; nothing is executed.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["MIN_SCRIPT_TEXT", "script_article"]

#: an article string holds at least this much text (characters outside tags)
MIN_SCRIPT_TEXT = 200
_MIN_SENTENCES = 3
_MIN_BLOCKS = 2

# Scripts worth reading: they hold paragraph markup, raw, JSON-escaped or entity-escaped.
_SCRIPT_XPATH = (
    "//script[not(@src)][contains(., '<p') or contains(., 'u003cp') or contains(., '&lt;p')"
    " or contains(., '<br') or contains(., 'u003cbr') or contains(., '&lt;br')]/text()"
)
# Quoted literals, escapes included.
_LITERAL_RE = re.compile(
    r"'([^'\\\n]*(?:\\.[^'\\\n]*)*)'"
    r'|"([^"\\\n]*(?:\\.[^"\\\n]*)*)"',
    re.DOTALL,
)
_JS_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}
_BLOCK_RE = re.compile(r"<(?:p|br|h[1-6]|li|div)\b", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_SENTENCE_RE = re.compile(r"[。！？!?]|\.(?:\s|$)")


def _unescape_js(literal: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _JS_SIMPLE.get(code, code)

    return _JS_ESCAPE_RE.sub(one, literal) if "\\" in literal else literal


def _as_markup(literal: str) -> str | None:
    value = _unescape_js(literal)
    if "<" not in value and "&lt;" in value:
        value = html.unescape(value)  # markup written with entities, inside the string
    if len(_BLOCK_RE.findall(value)) < _MIN_BLOCKS:
        return None
    return value


def _prose_size(markup: str) -> int:
    text = html.unescape(_TAG_RE.sub(" ", markup))
    if len(_SENTENCE_RE.findall(text)) < _MIN_SENTENCES:
        return 0
    return len("".join(text.split()))


def script_article(tree: HtmlElement) -> tuple[str, int] | None:
    """The article markup the page's scripts hold, with the size of its text, or None.

    :param tree: the parsed page (scripts intact: a fresh parse, not one extraction pruned)
    :return: ``(markup, text_chars)`` of the longest quoted string in an inline script that
        has paragraph markup (raw, JSON-escaped or entity-escaped), at least
        :data:`MIN_SCRIPT_TEXT` characters of text and a few sentences
    """
    best: tuple[str, int] | None = None
    for script in tree.xpath(_SCRIPT_XPATH):
        for match in _LITERAL_RE.finditer(script):
            literal = match.group(1) or match.group(2) or ""
            if len(literal) < MIN_SCRIPT_TEXT:
                continue
            markup = _as_markup(literal)
            if markup is None:
                continue
            size = _prose_size(markup)
            if size >= MIN_SCRIPT_TEXT and (best is None or size > best[1]):
                best = (markup, size)
    return best
