"""No request the crawl did not ask for.

Scrapy's cookie middleware asks tldextract whether a cookie's domain is a public suffix, and
tldextract, on first use in a fresh environment, downloads the Public Suffix List from
publicsuffix.org (and, offline, logs a traceback per URL before it falls back to the copy it
bundles). The crawler gives the middleware an extractor that uses the bundled list only and
keeps no cache on disk: no request goes out, nothing is written under ``~/.cache``.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def keep_tldextract_offline() -> None:
    """Make Scrapy's cookie middleware use tldextract's bundled suffix list (idempotent)."""
    try:
        from scrapy.downloadermiddlewares import cookies
        from tldextract import TLDExtract
    except ImportError:  # pragma: no cover - a Scrapy without the cookie middleware's use
        return
    current = getattr(cookies, "_split_domain", None)
    if current is None or getattr(current, "_seedcrawler_offline", False):
        return
    offline = TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        include_psl_private_domains=getattr(current, "include_psl_private_domains", True),
    )
    offline._seedcrawler_offline = True  # type: ignore[attr-defined]
    cookies._split_domain = offline
