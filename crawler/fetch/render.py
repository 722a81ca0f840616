"""Selective rendering: which pages go to a real browser (README: "Pages that need
JavaScript").

``RENDER`` is ``never``, ``auto`` (default) or ``always``; ``RENDER_DOMAINS`` sets it per host
(``{"app.example.com": "always"}`` or ``"app.example.com=always,news.example=never"``; a
domain covers its subdomains, the longest match wins) and a seed file per seed
(``https://app.example.com/post/1 render=always``), inherited by the links followed from it.

- ``always``: the page is fetched by the browser only.
- ``auto``: the page is fetched plainly first; it goes to the browser when it is HTML, gave
  no article and looks like a shell that scripts fill (:func:`looks_like_shell`). A page that
  gave an article is never rendered (what extraction makes of a shell's placeholder or
  ``<noscript>`` notice, shorter than ``RENDER_SHELL_MAX_TEXT``, is no article).
- ``never``: no browser.

The browser itself is :mod:`crawler.fetch.browser`; what it fetched is archived by
:mod:`crawler.fetch.browser_recorder`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import lxml.html
import scrapy
from lxml import etree

from crawler.text.markup import read_to_the_end

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

__all__ = ["MODES", "InvalidRenderSetting", "RenderPolicy", "Shell", "looks_like_shell",
           "parse_domains"]

logger = logging.getLogger(__name__)

MODES = ("never", "auto", "always")

#: ids and classes of the elements single-page-app frameworks mount into
_MOUNT_NAMES = frozenset({
    "app", "root", "__next", "__nuxt", "___gatsby", "svelte", "main-app", "q-app", "react-root",
    "vue-app", "ember-app", "application", "page", "content", "main", "article", "container",
    "mount", "js-app", "app-root", "spa", "wrapper",
})
_MOUNT_ATTRIBUTES = ("data-reactroot", "ng-app", "ng-version", "data-v-app", "data-server-rendered")
#: inline scripts that fetch data or fill the page
_FETCHING_SCRIPT = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|getJSON|post)\s*\(|\baxios\b|"
    r"\.innerHTML\s*=|\binsertAdjacentHTML\b|\bappendChild\s*\(|\bcreateRoot\s*\(|"
    r"\bReactDOM\b|\bcreateApp\s*\(|\bnew\s+Vue\s*\(|\bhydrate\w*\s*\(", re.IGNORECASE)
_NOSCRIPT_WARNING = re.compile(r"javascript|\bJS\b|启用|開啟|开启|啟用|脚本|腳本", re.IGNORECASE)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg")
#: placeholder text a mount element may hold before the scripts fill it ("Loading…")
_PLACEHOLDER_CHARS = 40


class InvalidRenderSetting(ValueError):
    """A RENDER setting (or seed option) that cannot be used."""


@dataclass(frozen=True)
class Shell:
    """What :func:`looks_like_shell` found."""

    shell: bool
    reason: str
    text_chars: int = 0
    scripts: int = 0

    def __bool__(self) -> bool:
        return self.shell


def looks_like_shell(body: bytes, encoding: str | None = None, max_text: int = 400) -> Shell:
    """Whether an HTML page looks like an app shell whose content scripts build: little
    visible text, scripts, and an element the scripts fill (an empty mount point such as
    ``<div id="app"></div>``, one an inline script names, or a ``<noscript>`` asking for
    JavaScript), or inline scripts that fetch data and write the page.

    :param body: the page, Content-Encoding decoded
    :param encoding: its character encoding, if known
    :param max_text: visible characters above which a page is not a shell
    """
    text = body.decode(encoding or "utf-8", "replace") if isinstance(body, bytes) else body
    if not text.strip():
        return Shell(False, "empty page")
    try:
        root = lxml.html.document_fromstring(read_to_the_end(text))
    except (etree.ParserError, ValueError):
        return Shell(False, "not parseable")
    scripts = root.xpath("//script")
    code = [s.text_content() for s in scripts
            if (s.get("type") or "text/javascript").lower() not in ("application/ld+json",)]
    external = [s for s in scripts if s.get("src")]
    if not scripts:
        return Shell(False, "no scripts")
    body_el = root.find("body")
    visible = _visible_text(body_el if body_el is not None else root)
    chars = len(visible)
    if chars > max_text:
        return Shell(False, f"{chars} characters of text", chars, len(scripts))
    inline = "\n".join(code)
    mount = _mount_point(root, inline)
    if mount:
        return Shell(True, f"empty mount point {mount}", chars, len(scripts))
    for noscript in root.iter("noscript"):
        if _NOSCRIPT_WARNING.search(noscript.text_content() or ""):
            return Shell(True, "noscript asks for JavaScript", chars, len(scripts))
    if _FETCHING_SCRIPT.search(inline):
        return Shell(True, "inline scripts fetch or write the page", chars, len(scripts))
    if external and chars < _PLACEHOLDER_CHARS:
        return Shell(True, "no text, external scripts", chars, len(scripts))
    return Shell(False, "no element for scripts to fill", chars, len(scripts))


def _visible_text(element: Any) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _INVISIBLE:
            return
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join(" ".join(parts).split())


def _mount_point(root: Any, inline: str) -> str | None:
    """An element scripts are meant to fill: empty (or a short placeholder), and known to
    frameworks by its id, class or attributes, or named by an inline script."""
    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() not in ("div", "main", "section", "article", "app", "body", "span"):
            continue
        ident = (element.get("id") or "").strip()
        classes = (element.get("class") or "").split()
        if len(_visible_text(element)) > _PLACEHOLDER_CHARS or len(element) > 3:
            continue
        if tag.lower() == "body":
            continue
        if ident and (ident.lower() in _MOUNT_NAMES or re.search(
                r"""(getElementById\(\s*['"]|querySelector(?:All)?\(\s*['"]#|\$\(\s*['"]#)"""
                + re.escape(ident) + r"""['"\s)]""", inline)):
            return f"#{ident}"
        if any(c.lower() in _MOUNT_NAMES for c in classes) and inline.strip():
            return f".{classes[0]}"
        if any(element.get(name) is not None for name in _MOUNT_ATTRIBUTES):
            return tag
    return None


def parse_domains(value: Any) -> dict[str, str]:
    """``RENDER_DOMAINS`` as ``{host: mode}``: a dict, a list of ``host=mode``, or one string
    of them separated by commas or white space.

    :raises InvalidRenderSetting: a mode that is not one of :data:`MODES`, or an entry
        without ``=``
    """
    if not value:
        return {}
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("{"):
            import json

            try:
                value = json.loads(value)
            except ValueError as exc:
                raise InvalidRenderSetting(f"RENDER_DOMAINS is not valid JSON: {exc}") from exc
        else:
            value = re.split(r"[,\s]+", value)
    if isinstance(value, dict):
        pairs = list(value.items())
    else:
        pairs = []
        for entry in value:
            if not entry:
                continue
            host, sep, mode = str(entry).partition("=")
            if not sep:
                raise InvalidRenderSetting(f"RENDER_DOMAINS entry {entry!r}: write host=mode")
            pairs.append((host, mode))
    domains = {}
    for host, mode in pairs:
        domains[str(host).strip().lower().lstrip(".")] = check_mode(mode, f"RENDER_DOMAINS[{host}]")
    return domains


def check_mode(mode: Any, name: str = "RENDER") -> str:
    """A render mode, lower-cased.

    :raises InvalidRenderSetting: not one of :data:`MODES`
    """
    value = str(mode).strip().lower()
    if value not in MODES:
        raise InvalidRenderSetting(f"{name}={mode!r}: use one of {', '.join(MODES)}")
    return value


@dataclass
class RenderPolicy:
    """Which pages are rendered, and the requests that render them."""

    mode: str = "auto"
    domains: dict[str, str] | None = None
    max_text: int = 400
    #: WARC_REPLAY answers from the archive: nothing can be rendered
    disabled_reason: str | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings, mode: str | None = None) -> RenderPolicy:
        """:param mode: the spider argument ``-a render=``, over ``RENDER``

        :raises InvalidRenderSetting: a bad ``RENDER``, ``RENDER_DOMAINS`` or
            ``RENDER_SHELL_MAX_TEXT``
        """
        policy = cls(
            mode=check_mode(mode if mode is not None else settings.get("RENDER") or "auto"),
            domains=parse_domains(settings.get("RENDER_DOMAINS")),
        )
        try:
            policy.max_text = int(settings.get("RENDER_SHELL_MAX_TEXT") or 400)
        except (TypeError, ValueError) as exc:
            raise InvalidRenderSetting(f"RENDER_SHELL_MAX_TEXT: {exc}") from exc
        if settings.get("WARC_REPLAY"):
            policy.disabled_reason = "WARC_REPLAY answers from the archive"
        return policy

    @classmethod
    def from_crawler(cls, crawler: Crawler, mode: str | None = None) -> RenderPolicy:
        return cls.from_settings(crawler.settings, mode)

    def mode_for(self, url: str, seed_mode: str | None = None) -> str:
        """The render mode of a page: its seed's option, else its domain's, else RENDER."""
        if self.disabled_reason:
            return "never"
        if seed_mode:
            return seed_mode
        host = (urlsplit(url).hostname or "").lower()
        best = None
        for domain, mode in (self.domains or {}).items():
            if (host == domain or host.endswith("." + domain)) and (
                    best is None or len(domain) > len(best[0])):
                best = (domain, mode)
        return best[1] if best else self.mode

    @property
    def may_render(self) -> bool:
        """Whether any page of this crawl may be rendered (a seed option can ask for it)."""
        return not self.disabled_reason

    # --- requests ---------------------------------------------------------------------------

    def prepare(self, request: scrapy.Request, errback: Any) -> scrapy.Request:
        """A page request, sent to the browser at once when its mode is ``always``.

        :param errback: the errback of the rendering request
        """
        mode = self.mode_for(request.url, request.meta.get("render_mode"))
        if mode == "always":
            return self.render_request(request.url, request.meta, request.callback,
                                       errback, dont_filter=request.dont_filter)
        return request

    def render_request(self, url: str, meta: dict[str, Any], callback: Any, errback: Any,
                       dont_filter: bool = True) -> scrapy.Request:
        """The request that renders ``url`` in the browser, keeping the page's crawl meta
        (seed, hops, via, scope)."""
        keep = {key: value for key, value in meta.items() if key in _CRAWL_META}
        redirects = meta.get("redirect_urls") or []
        # Where the page sits in the crawl, as its plain fetch was archived: the browser's
        # exchanges hang below it (crawler.fetch.browser_recorder).
        keep.setdefault("page_hops", meta.get("hops", "") + "R" * len(redirects))
        page_via = redirects[-1] if redirects else meta.get("via")
        if page_via:
            keep.setdefault("page_via", page_via)
        keep.update({
            "render_url": url,
            "playwright": True,
            "rendered": True,
            # A rendered page is asked for whole: the browser must get the document.
            "dont_send_validators": True,
            "dont_revisit": True,
            "dont_retry": True,
        })
        return scrapy.Request(url, callback=callback, errback=errback, meta=keep,
                              dont_filter=dont_filter)

    async def after_fetch(self, pool: Any, response: Response, article: dict[str, Any] | None,
                          callback: Any, errback: Any) -> scrapy.Request | None:
        """For a page fetched plainly: the request that renders it, when its mode is
        ``auto``, it gave no article and it looks like a shell.

        What extraction finds in a shell is not an article: its placeholder, its menu, its
        ``<noscript>`` notice. So a "article" shorter than ``RENDER_SHELL_MAX_TEXT``
        characters from a page that looks like a shell does not keep it from the browser;
        a longer one does.

        :param article: what extraction found in the plain fetch, if anything
        """
        if response.meta.get("rendered") or response.meta.get("render_fallback"):
            return None
        if article is not None and len(article.get("text") or "") >= self.max_text:
            return None
        if self.mode_for(response.url, response.meta.get("render_mode")) != "auto":
            return None
        shell = await pool.run(looks_like_shell, response.body,
                               getattr(response, "encoding", None), self.max_text)
        if not shell:
            return None
        logger.info("Rendering %s in the browser: %s", response.url, shell.reason)
        return self.render_request(response.url, {**response.meta, "plain_fetched": True},
                                   callback, errback)

    @staticmethod
    def inherited(meta: dict[str, Any]) -> dict[str, Any]:
        """What a page passes on to the pages it leads to (its seed's render option)."""
        return {"render_mode": meta["render_mode"]} if meta.get("render_mode") else {}

    def failed(self, archive: Any, failure: Failure, errback: Any,
               stats: Any = None) -> list[scrapy.Request]:
        """A page the browser could not render: recorded in ``errors`` (stage ``render``);
        a page never fetched plainly is then fetched plainly, so it is archived anyway.

        :param errback: the errback of that plain request
        """
        request = failure.request  # type: ignore[attr-defined]
        error, detail = render_failure(failure)
        logger.warning("Could not render %s: %s %s", request.url, error, detail)
        if stats is not None:
            stats.inc_value("render/errors")
        archive.record_error(request.url, "render", error, detail)
        fallback = self.fallback(failure, errback)
        return [fallback] if fallback is not None else []

    def fallback(self, failure: Failure, errback: Any) -> scrapy.Request | None:
        """After a failed render of a page never fetched plainly (``always``), the plain
        request that archives it anyway."""
        request = failure.request  # type: ignore[attr-defined]
        if request.meta.get("plain_fetched"):
            return None
        meta = {key: value for key, value in request.meta.items() if key in _CRAWL_META}
        meta["render_fallback"] = True
        return request.replace(meta=meta, dont_filter=True, errback=errback)


#: request meta of a page that its rendering (and a fallback) carries on
_CRAWL_META = frozenset({
    "seed_url", "source_seed", "hops", "via", "via_feed", "scope_bases", "render_mode",
    "plain_fetched", "page_hops", "page_via",
})


def render_failure(failure: Failure) -> tuple[str, str]:
    """(error, detail) of a failed render, as the ``errors`` table keeps it."""
    exc = failure.value
    name = type(exc).__name__
    message = str(exc).splitlines()[0] if str(exc) else ""
    if name == "TargetClosedError" or "has been closed" in message:
        return "BrowserClosed", "the browser closed or crashed while rendering the page"
    if name in ("TimeoutError", "RenderTimeout"):
        return "RenderTimeout", message
    if "net::ERR_" in message:  # the browser could not load the page itself
        code = message[message.index("net::ERR_"):].split(" ", 1)[0]
        return code, message
    return name, message
