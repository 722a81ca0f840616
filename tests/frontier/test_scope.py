"""Crawl scope (crawler.frontier.scope)."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.frontier.scope import CrawlScope, InvalidScope, LinkFrontier, in_scope


def scope(**kwargs) -> CrawlScope:
    return CrawlScope.from_settings(Settings(vars(project_settings)), **kwargs)


def test_scopes_relative_to_the_seed():
    seed = "https://news.example.com/world/index.html"
    cases = {
        "https://news.example.com/world/asia/1.html": {"prefix", "host", "domain"},
        "http://news.example.com/world/2.html": {"prefix", "host", "domain"},
        "https://news.example.com/sport/1.html": {"host", "domain"},
        "https://news.example.com:8443/world/1.html": {"domain"},
        "https://img.example.com/world/1.html": {"domain"},
        "https://example.com/": {"domain"},
        "https://example.org/world/1.html": set(),
        "https://notexample.com/": set(),
    }
    for url, modes in cases.items():
        for mode in ("page", "prefix", "host", "domain"):
            assert in_scope(url, seed, mode) == (mode in modes), (url, mode)


def test_domain_uses_the_public_suffix_list():
    assert in_scope("https://www.bbc.co.uk/x", "https://news.bbc.co.uk/", "domain")
    assert not in_scope("https://www.other.co.uk/x", "https://news.bbc.co.uk/", "domain")
    assert in_scope("https://tech.163.com/x", "https://www.163.com/", "domain")
    assert in_scope("http://127.0.0.1:9/x", "http://127.0.0.1:8/", "domain")
    assert not in_scope("http://127.0.0.2:8/x", "http://127.0.0.1:8/", "domain")


def test_prefix_is_up_to_the_last_slash():
    assert in_scope("https://a.example/blog/post", "https://a.example/blog/", "prefix")
    assert not in_scope("https://a.example/blogroll", "https://a.example/blog/", "prefix")
    assert in_scope("https://a.example/other", "https://a.example/blog", "prefix")


def test_options_and_their_errors():
    assert scope().mode == "page" and not scope().follows_links
    assert scope(scope="host").depth == 5
    assert scope(scope="host", depth="0").follows_links is False
    assert scope(scope="Domain", depth="-1").depth == -1
    for bad, message in [({"scope": "site"}, "unknown scope"),
                         ({"scope": "host", "depth": "two"}, "whole number"),
                         ({"scope": "host", "depth": "-2"}, "0 or more"),
                         ({"scope": "host", "include": "("}, "regular expression"),
                         ({"depth": "2"}, "scope=page follows none")]:
        with pytest.raises(InvalidScope, match=message):
            scope(**bad)


def test_refusals():
    crawl = scope(scope="host", depth="2", include=r"/news/", exclude=r"\.pdf$")
    bases = ["https://a.example/"]
    assert crawl.refuses("https://a.example/news/1.html", bases, 2) is None
    assert crawl.refuses("https://a.example/news/1.html", bases, 3) == "too_deep"
    assert crawl.refuses("https://b.example/news/1.html", bases, 1) == "out_of_scope"
    assert crawl.refuses("https://a.example/sport/1.html", bases, 1) == "not_included"
    assert crawl.refuses("https://a.example/news/1.pdf", bases, 1) == "excluded"
    # a seed that redirected: where it landed is in scope too
    assert crawl.refuses("https://www.a.example/news/", ["https://a.example/",
                                                         "https://www.a.example/"], 1) is None


def test_frontier_follows_each_link_once_within_the_page_budget():
    settings = Settings(vars(project_settings))
    settings.set("CRAWL_MAX_PAGES", 3)
    frontier = LinkFrontier(CrawlScope.from_settings(settings, scope="host"))
    frontier.add_seed("https://a.example/")
    links = ["https://a.example/1", "https://a.example/1#x", "https://a.example/",
             "https://a.example/2", "https://a.example/3"]
    assert frontier.follow(links, ["https://a.example/"], 1) == [
        "https://a.example/1", "https://a.example/2"]
    assert frontier.follow(["https://a.example/4"], ["https://a.example/"], 1) == []
