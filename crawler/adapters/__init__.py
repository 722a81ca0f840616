"""Site adapters: site-specific knowledge, one module per site.

The generic path (trafilatura on the decoded page) serves every site without an adapter.
"""

from __future__ import annotations


def canonical_url(url: str) -> str:
    """The URL an article is keyed by: the seeded URL after its site's canonicalisation."""
    return url
