"""What an archived page points at: the resources it embeds (page requisites) and the pages
it links to (README: "What is captured").

Plain functions of bytes and URLs, run in the extraction pool: :func:`discover` reads an HTML
page, :func:`stylesheet_urls` a stylesheet. Requisites are what a browser fetches to draw the
page, as ``wget -p`` and Heritrix's embeds see them: images (``src``, ``srcset``, the lazy
``data-src`` family), ``picture``/``source``, stylesheets (with the ``url(...)`` and
``@import`` in them and in ``<style>`` and ``style=""``), scripts, icons, preloads, fonts,
``video``/``audio`` posters, sources and tracks. Frames are not requisites (they are pages
of their own), nor is anything a script would fetch when it runs.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from w3lib.url import safe_url_string

from crawler.text.markup import read_to_the_end

__all__ = ["Found", "Requisite", "discover", "srcset_urls", "stylesheet_urls"]

#: ``<link rel=...>`` values whose ``href`` a browser loads for the page
_LINK_RELS = frozenset({
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
    "mask-icon", "preload", "modulepreload", "fluid-icon",
})
#: lazy-loading attributes of images that scripts turn into ``src``/``srcset``
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url")
_LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_IMPORT = re.compile(
    r"""@import\s+(?:url\(\s*)?(?:"([^"]*)"|'([^']*)'|([^\s;'")]+))""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)""", re.IGNORECASE)
# image-set("a.png" 1x, "b.png" 2x): bare strings are images too (url() ones are above)
_CSS_IMAGE_SET = re.compile(r"image-set\(((?:[^()]|\([^()]*\))*)\)", re.IGNORECASE)
_CSS_STRING = re.compile(r"""(?<![\w(])\s*(?:"([^"]*)"|'([^']*)')""")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}\s?|.)")
_FOLLOWED_SCHEMES = ("http", "https")
_ROBOTS_NOFOLLOW = re.compile(r"\b(nofollow|none)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Requisite:
    """A resource a page embeds.

    :param url: absolute, fragment removed
    :param stylesheet: loaded as a stylesheet (``<link rel=stylesheet>``, ``@import``): its
        own ``url(...)`` and ``@import`` are requisites too
    """

    url: str
    stylesheet: bool = False


@dataclass(frozen=True)
class Found:
    """What one page points at, each URL once, in document order."""

    requisites: tuple[Requisite, ...] = ()
    links: tuple[str, ...] = ()
    #: ``<meta name="robots" content="nofollow">``: the page asks that its links not be
    #: followed
    nofollow: bool = False


def discover(body: bytes, url: str, encoding: str | None = None) -> Found:
    """The requisites and outlinks of an HTML page.

    :param body: the page, Content-Encoding decoded
    :param url: the URL it was fetched from (``<base href>`` is honoured)
    :param encoding: the page's character encoding, as the spider decoded it
    """
    text = body.decode(encoding or "utf-8", "replace") if isinstance(body, bytes) else body
    if not text.strip():
        return Found()
    try:
        root = lxml.html.document_fromstring(read_to_the_end(text))
    except (etree.ParserError, ValueError):
        return Found()
    base = url
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            with contextlib.suppress(ValueError):  # a <base href> urllib refuses is ignored
                base = urljoin(url, href)
            break
    requisites: dict[str, Requisite] = {}
    links: dict[str, None] = {}
    nofollow = False

    def embed(value: str | None, stylesheet: bool = False) -> None:
        absolute = _absolute(base, value, encoding)
        if absolute is not None and absolute not in requisites:
            requisites[absolute] = Requisite(absolute, stylesheet)
        elif absolute is not None and stylesheet and not requisites[absolute].stylesheet:
            requisites[absolute] = Requisite(absolute, True)

    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rpartition("}")[2].lower()
        get = element.get
        if tag in ("a", "area"):
            absolute = _absolute(base, get("href"), encoding)
            if absolute is not None:
                links.setdefault(absolute)
        elif tag == "img":
            embed(get("src"))
            for name in _LAZY_SRC:
                embed(get(name))
            for name in ("srcset", *_LAZY_SRCSET):
                for candidate in srcset_urls(get(name)):
                    embed(candidate)
        elif tag == "source":
            embed(get("src"))
            for name in ("srcset", *_LAZY_SRCSET):
                for candidate in srcset_urls(get(name)):
                    embed(candidate)
        elif tag in ("video", "audio"):
            embed(get("poster"))
            embed(get("src"))
        elif tag in ("track", "script"):
            embed(get("src"))
        elif tag == "link":
            rels = set((get("rel") or "").lower().split())
            if rels & _LINK_RELS:
                embed(get("href"), stylesheet="stylesheet" in rels
                      or ("preload" in rels and (get("as") or "").lower() == "style"))
                for candidate in srcset_urls(get("imagesrcset")):
                    embed(candidate)
        elif tag == "input" and (get("type") or "").lower() == "image":
            embed(get("src"))
        elif tag in ("image", "use"):  # SVG
            href = get("href") or get("{http://www.w3.org/1999/xlink}href")
            if href and not href.startswith("#"):
                embed(href)
        elif tag == "style":
            for found in stylesheet_urls(element.text_content(), base):
                embed(found.url, found.stylesheet)
        elif tag == "meta" and (get("name") or "").lower() == "robots":
            nofollow = nofollow or bool(_ROBOTS_NOFOLLOW.search(get("content") or ""))
        if get("background"):
            embed(get("background"))
        style = get("style")
        if style and "url(" in style.lower():
            for found in stylesheet_urls(style, base):
                embed(found.url, found.stylesheet)
    return Found(tuple(requisites.values()), tuple(links), nofollow)


def srcset_urls(value: str | None) -> list[str]:
    """The image URLs of a ``srcset`` attribute (``a.jpg 1x, b.jpg 2x`` or ``... 640w``),
    URLs with commas included, as the HTML standard's parsing algorithm splits them."""
    if not value:
        return []
    urls = []
    position, length = 0, len(value)
    while position < length:
        while position < length and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < length and not value[position].isspace():
            position += 1
        candidate = value[start:position]
        if candidate.endswith(","):
            candidate = candidate.rstrip(",")
        else:
            # Skip the descriptor, up to the comma that ends it (outside parentheses).
            depth = 0
            while position < length and (depth or value[position] != ","):
                depth += {"(": 1, ")": -1}.get(value[position], 0)
                position += 1
        if candidate:
            urls.append(candidate)
    return urls


def stylesheet_urls(css: str | bytes, url: str, encoding: str | None = None) -> list[Requisite]:
    """The resources a stylesheet loads: ``@import`` (stylesheets themselves) and every
    ``url(...)`` (images, fonts), relative to ``url``, each once.

    :param css: the stylesheet, text or bytes (decoded per ``@charset``/BOM, else
        ``encoding``, else UTF-8)
    :param url: the stylesheet's URL, or the page's for ``<style>`` and ``style=""``
    """
    if isinstance(css, bytes):
        css = decode_stylesheet(css, encoding)
    css = _CSS_COMMENT.sub(" ", css)
    found: dict[str, Requisite] = {}
    imports = set()
    for match in _CSS_IMPORT.finditer(css):
        target = _absolute(url, _unescape(next(g for g in match.groups() if g is not None)))
        if target is not None:
            imports.add(target)
            found.setdefault(target, Requisite(target, stylesheet=True))
    values = [next((g for g in m.groups() if g is not None), "") for m in _CSS_URL.finditer(css)]
    for image_set in _CSS_IMAGE_SET.finditer(css):
        values += [next(g for g in m.groups() if g is not None)
                   for m in _CSS_STRING.finditer(_CSS_URL.sub(" ", image_set.group(1)))]
    for value in values:
        target = _absolute(url, _unescape(value))
        if target is not None and target not in found:
            found[target] = Requisite(target, stylesheet=target in imports)
    return list(found.values())


def decode_stylesheet(body: bytes, fallback: str | None = None) -> str:
    """A stylesheet's text: its BOM, else ``@charset``, else ``fallback``, else UTF-8 (CSS
    Syntax, "determine the fallback encoding")."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    match = re.match(rb'@charset "([^"]{1,40})";', body)
    for codec in (match.group(1).decode("ascii", "replace") if match else None, fallback):
        if codec:
            try:
                return body.decode(codec, "replace")
            except LookupError:
                continue
    return body.decode("utf-8", "replace")


def _unescape(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if re.fullmatch(r"[0-9a-fA-F]{1,6}\s?", escaped):
            try:
                return chr(int(escaped.strip(), 16))
            except (ValueError, OverflowError):
                return ""
        return escaped

    return _CSS_ESCAPE.sub(replace, value) if "\\" in value else value


def _absolute(base: str, value: str | None, encoding: str | None = None) -> str | None:
    """``value`` made absolute against ``base``, fragment dropped; None for what is not an
    http(s) URL (``data:``, ``javascript:``, ``mailto:``, an empty or fragment-only one)."""
    if not value:
        return None
    value = value.strip()
    if not value or value.startswith("#"):
        return None
    try:
        absolute = urljoin(base, value)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in _FOLLOWED_SCHEMES or not parts.hostname:
        return None
    absolute = absolute.split("#", 1)[0]
    try:
        return safe_url_string(absolute, encoding=encoding or "utf-8")
    except (LookupError, ValueError):
        return safe_url_string(absolute)
