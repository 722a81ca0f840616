"""Offline fixture website for end-to-end tests and ``crawler demo``.

The five bundled seed texts (``seeds/fixtures/*.txt``) are turned into realistic HTML
pages (Weibo, NetEase, a GBK-served 新智元 article, a French tech-news article behind a
redirect, a Big5 Taiwanese blog) plus ``robots.txt``, a 404 and a PDF, and served from
a real threaded HTTP/1.1 server on 127.0.0.1. Run it with ``python -m crawler.demo.site``.
"""

from __future__ import annotations

from .pages import Expected, Page, build_site, fixtures_dir, seed_paths
from .server import FixtureServer, RecordedRequest

__all__ = [
    "Expected",
    "FixtureServer",
    "Page",
    "RecordedRequest",
    "build_site",
    "fixtures_dir",
    "seed_paths",
]
