"""The test crawls' resolver answers for loopback names only (tests/offline.py)."""

from __future__ import annotations

from twisted.internet.error import DNSLookupError

from tests.crawling import TEST_SETTINGS
from tests.offline import LoopbackResolver, is_loopback


def test_loopback_names_only():
    assert all(map(is_loopback, ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["tvax1.sinaimg.cn", "10.0.0.1", "example.com", ""]))


def test_other_names_fail_at_once_without_a_lookup():
    resolver = LoopbackResolver(reactor=object(), cache_size=0, timeout=1.0)
    failures = []
    resolver.getHostByName("nimg.ws.126.net").addErrback(failures.append)
    assert failures and failures[0].check(DNSLookupError)
    assert TEST_SETTINGS["TWISTED_DNS_RESOLVER"] == "tests.offline.LoopbackResolver"
