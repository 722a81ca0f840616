"""A Scrapy extension for tests: what a crawl's main process imported and which processes
it started, written as JSON to ``$SEEDCRAWLER_PROBE`` when the spider closes.

Enable with ``-s 'EXTENSIONS={"tests.process_probe.ProcessProbe": 0}'``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from scrapy import signals

#: what extraction imports, and a crawl's main process must not (issue 10)
EXTRACTION_MODULES = ("trafilatura", "numpy", "py3langid", "justext", "htmldate", "courlan",
                      "feedparser")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (its children, theirs...), from /proc."""
    found, todo = set(), [pid]
    while todo:
        for child in _children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


class ProcessProbe:
    def __init__(self, path: str) -> None:
        self.path = path
        self.processes: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206
        probe = cls(os.environ["SEEDCRAWLER_PROBE"])
        crawler.signals.connect(probe.look, signal=signals.response_received)
        crawler.signals.connect(probe.look, signal=signals.item_scraped)
        crawler.signals.connect(probe.write, signal=signals.spider_closed)
        return probe

    def look(self) -> None:
        self.processes |= descendants(os.getpid())

    def write(self) -> None:
        self.look()
        Path(self.path).write_text(json.dumps({
            "imported": [name for name in EXTRACTION_MODULES if name in sys.modules],
            "processes": len(self.processes),
        }), encoding="utf-8")
