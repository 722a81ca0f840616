"""What is archived but never extracted (the live spider and ``crawler replay`` agree):

- a partial body (``WARC-Truncated``: cut at a size cap, by a timeout or a disconnection):
  an article made of part of a page would be stored as if it were the page;
- a body over ``EXTRACT_MAX_BYTES``: a 30 MB "page" is a dump, not an article, and
  parsing it costs a worker seconds and a gigabyte.
"""

from __future__ import annotations

__all__ = ["DEFAULT_EXTRACT_MAX_BYTES", "extract_refusal"]

#: the default of EXTRACT_MAX_BYTES (crawler/settings.py says the same)
DEFAULT_EXTRACT_MAX_BYTES = 5 * 1024 * 1024


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def extract_refusal(body: bytes, max_bytes: int | None = DEFAULT_EXTRACT_MAX_BYTES,
                    truncated: str | None = None) -> str | None:
    """Why a body is not handed to extraction, or None when it may be.

    :param body: the decoded body (Content-Encoding undone)
    :param max_bytes: ``EXTRACT_MAX_BYTES`` (0 or None: no limit)
    :param truncated: the record's ``WARC-Truncated`` value, if any
    """
    if truncated:
        return f"the body is partial (WARC-Truncated: {truncated})"
    if max_bytes and len(body) > max_bytes:
        return (f"{_size(len(body))} is over EXTRACT_MAX_BYTES ({_size(max_bytes)}): "
                "archived, not extracted")
    return None
