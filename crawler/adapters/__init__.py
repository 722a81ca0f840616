"""Site adapters: site-specific knowledge, one module per site.

``ADAPTERS`` lists them in the order they are tried; the generic path (trafilatura on the
decoded page) serves every URL no adapter claims.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from crawler.adapters.base import Adapter

# "module:Class", tried in order. Add a site by adding its module here.
ADAPTERS: list[str] = [
    "crawler.adapters.netease:NetEaseAdapter",
    "crawler.adapters.sohu:SohuAdapter",
    "crawler.adapters.wechat:WeChatAdapter",
    "crawler.adapters.weibo:WeiboAdapter",
    "crawler.adapters.forums:ZhihuAdapter",
    "crawler.adapters.forums:DiscuzAdapter",
    "crawler.adapters.mediawiki:MediaWikiAdapter",
]


@cache
def adapters() -> tuple[Adapter, ...]:
    loaded = []
    for spec in ADAPTERS:
        module, _, name = spec.partition(":")
        loaded.append(getattr(import_module(module), name)())
    return tuple(loaded)


def adapter_for(url: str, content_type: str | None = None) -> Adapter | None:
    """The adapter that handles a URL (and content type), or None for the generic path."""
    for adapter in adapters():
        if adapter.matches(url, content_type):
            return adapter
    return None


def canonical_url(url: str) -> str:
    """The URL an article is keyed by: the seeded URL after its site's canonicalisation."""
    adapter = adapter_for(url)
    return adapter.canonical_url(url) if adapter else url
