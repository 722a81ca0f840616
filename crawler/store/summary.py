"""The one-screen summary printed at the end of a crawl."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def format_summary(
    stats: dict[str, Any],
    reason: str,
    db_path: Path,
    warc_files: Iterable[Path],
    seed_errors: Iterable[str] = (),
) -> str:
    """Format the crawl's statistics as a short report a person can act on."""
    statuses = sorted(
        (int(key.rsplit("/", 1)[1]), count)
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/")
    )
    warc_files = list(warc_files)
    seed_errors = list(seed_errors)
    lines = [
        "",
        f"=== seedcrawler run finished ({reason}) ===",
        f"seeds        {stats.get('seeds/count', 0)} crawled, "
        f"{stats.get('seeds/invalid', 0)} invalid, "
        f"{stats.get('seeds/duplicates', 0)} duplicate",
        f"requests     {stats.get('downloader/request_count', 0)}"
        f" ({stats.get('retry/count', 0)} retries)",
        "responses    "
        + (", ".join(f"{status}: {count}" for status, count in statuses) or "none"),
        f"articles     {stats.get('articles/stored', 0)} stored, "
        f"{stats.get('articles/none', 0)} pages without article, "
        f"{stats.get('articles/not_html', 0)} not HTML",
    ]
    if stats.get("requisites/requested"):
        lines.append(f"requisites   {stats.get('requisites/fetched', 0)} fetched, "
                     f"{stats.get('requisites/not_modified', 0)} not modified, "
                     f"{stats.get('requisites/failed', 0)} failed")
    if any(key.startswith("links/") for key in stats):
        refused = sum(value for key, value in stats.items() if key.startswith("links/")
                      and key not in ("links/followed", "links/duplicate"))
        lines.append(f"links        {stats.get('links/followed', 0)} followed, "
                     f"{refused} not followed (scope, depth, limits)")
    lines += [
        f"errors       {stats.get('archive/errors', 0)} recorded"
        + (" (see the errors table)" if stats.get("archive/errors") else ""),
        f"WARC         {len(warc_files)} file(s), "
        f"{_size(stats.get('archive/warc_bytes', 0))}, "
        f"{stats.get('archive/captures', 0)} captures",
    ]
    lines += [f"             {path}" for path in warc_files[:5]]
    if len(warc_files) > 5:
        lines.append(f"             ... and {len(warc_files) - 5} more")
    lines.append(f"database     {db_path}")
    for error in seed_errors[:10]:
        lines.append(f"bad seed     {error}")
    if len(seed_errors) > 10:
        lines.append(f"             ... and {len(seed_errors) - 10} more bad seed lines")
    return "\n".join(lines)
