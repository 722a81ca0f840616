"""What a site adapter is: the site-specific knowledge of one site, in one module.

An adapter is chosen by URL (host, or path and content type for API endpoints whose host is
configurable) and is used identically by the live spider, ``crawler.extract.extract()`` and
offline replay. Anything it does not handle falls back to the generic trafilatura path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urljoin, urlsplit

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from scrapy import Request
    from scrapy.settings import BaseSettings


class PageUnavailable(Exception):
    """The page is not an article but a notice that it is gone or walled off.

    Raised by ``Adapter.extract()`` (hence by ``crawler.extract.extract()``) for a deleted
    post, a login or captcha wall, a rate-limit page. The caller records it; it is not stored
    as an article.

    :param reason: what the page says, e.g. ``"该内容已被发布者删除"``
    :param kind: ``"deleted"`` (gone for good) or ``"blocked"`` (a wall: retry later, with
        cookies or from elsewhere)
    """

    KINDS = ("deleted", "blocked")

    def __init__(self, reason: str, kind: str = "blocked"):
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {self.KINDS}, not {kind!r}")
        super().__init__(f"{kind}: {reason}")
        self.reason = reason
        self.kind = kind

    def __reduce__(self):  # keep reason and kind across process pools
        return (type(self), (self.reason, self.kind))


def url_parts(url: str | None) -> SplitResult:
    """``urlsplit(url)``, but the empty parts for a URL Python refuses (an unclosed IPv6
    bracket, a host that NFKC normalisation changes): pages and servers hand out such links,
    and one of them must not cost the page its article."""
    try:
        return urlsplit(url or "")
    except ValueError:
        return urlsplit("")


def join_url(base: str, href: str) -> str:
    """``urljoin(base, href)``, or ``href`` as it is where Python refuses either URL."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


class Adapter:
    """Base class: override what the site needs; the defaults change nothing."""

    #: short name, recorded with the article (``extra.adapter``)
    name: str = "generic"
    #: hosts served by this adapter; a URL matches a host or any subdomain of it
    hosts: tuple[str, ...] = ()

    def matches(self, url: str, content_type: str | None = None) -> bool:
        host = (url_parts(url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def canonical_url(self, url: str) -> str:
        """The URL an article from this site is keyed by."""
        return url

    def claims_html(self, tree: HtmlElement) -> bool:
        """Whether a page at a URL no adapter matches is in this site's markup.

        Optional; the default claims nothing. ``crawler.extract`` asks each adapter after
        parsing a page for the generic path (saved or mirrored copies, local test servers);
        keep it to a cheap check of a few ids or classes. A claimed page goes to
        ``extract()`` as if the URL had matched.
        """
        return False

    def extract(self, body: bytes, url: str, content_type: str | None) -> dict[str, Any] | None:
        """The article in one response body, or None to fall back to the generic path.

        The result has the keys of ``crawler.extract.extract()``; it may also carry ``url``
        (the canonical article URL, when the body rather than the request URL tells it) and
        ``extra`` (a dict of site-specific fields).
        """
        return None

    def start_request(self, seed_url: str, settings: BaseSettings) -> Request | None:
        """The first request for a seed, when it is not a plain GET of the seed URL."""
        return None
