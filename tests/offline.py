"""Keep test crawls offline: a DNS resolver that answers for loopback names only.

The fixture pages embed images from real CDNs (sinaimg.cn, 126.net, itc.cn) as the saved
pages do, and page requisites are fetched from any host: a test crawl must never reach them.
``tests.crawling`` sets ``TWISTED_DNS_RESOLVER`` to :class:`LoopbackResolver`, so such a request
fails at once with a DNS error (recorded like any failed requisite) instead of going online.
Loopback addresses (127.0.0.0/8, ::1) and ``localhost`` resolve as usual; a test that maps
names itself sets its own ``TWISTED_DNS_RESOLVER`` or a proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


def is_loopback(name: str) -> bool:
    if name.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        if not is_loopback(name):
            return defer.fail(DNSLookupError(f"{name}: test crawls stay on 127.0.0.1"))
        return super().getHostByName(name, timeout)
