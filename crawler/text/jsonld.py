"""Large JSON-LD blocks made small before trafilatura reads the page's metadata from them.

A live blog's ``<script type="application/ld+json">`` can hold every post of the day
(``liveBlogUpdate``) or the whole article again (``articleBody``): a megabyte of JSON.
trafilatura unescapes such a block before parsing it, which breaks valid JSON that holds
escaped quotes, and then searches the text with its fallback regular expressions: 1.6 s of a
1.9 s extraction on one such page. The metadata it reads (type, headline, author, dates,
publisher, image) sits in a few short fields, so :func:`shrink_json_ld` keeps those and drops
the bulk; a large block that is not JSON at all is dropped (the page's ``<meta>`` tags still
give the metadata).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["shrink_json_ld"]

# Below this a block costs trafilatura little whatever it holds.
LARGE_BLOCK = 50_000
# Fields holding content, not metadata.
_BULK_KEYS = frozenset({
    "articleBody", "liveBlogUpdate", "text", "comment", "review", "hasPart",
    "itemListElement", "associatedMedia", "citation", "transcript",
})


def _without_bulk(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_bulk(item) for key, item in value.items() if key not in _BULK_KEYS}
    if isinstance(value, list):
        return [_without_bulk(item) for item in value]
    return value


def shrink_json_ld(tree: HtmlElement) -> None:
    """Shrink (or drop) the large JSON-LD blocks of a page, in place."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = script.text or ""
        if len(text) < LARGE_BLOCK:
            continue
        try:
            script.text = json.dumps(_without_bulk(json.loads(text, strict=False)),
                                     ensure_ascii=False)
        except (ValueError, RecursionError):  # not JSON, or nested past any metadata
            script.drop_tree()
