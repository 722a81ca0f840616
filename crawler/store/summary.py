"""The one-screen summary printed at the end of every crawl, whatever the log level, also
after Ctrl-C (README "Crawling")."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crawler.store.outcomes import EXIT_MEANINGS, SeedCounts

MAX_LISTED = 10


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _listed(label: str, items: list[str]) -> list[str]:
    lines = [f"{label:<12} {item}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        lines.append(f"{'':<12} ... and {len(items) - MAX_LISTED} more")
    return lines


def format_summary(
    stats: dict[str, Any],
    reason: str,
    db_path: Path,
    warc_files: Iterable[Path],
    seed_errors: Iterable[str] = (),
    seeds: SeedCounts | None = None,
    failures: Iterable[tuple[str, str]] = (),
    seconds: float | None = None,
    status: int | None = None,
) -> str:
    """Format the crawl's statistics as a short report a person can act on.

    :param stats: the Scrapy stats of the run
    :param reason: Scrapy's finish reason
    :param seed_errors: the bad lines of the seed list
    :param seeds: what became of the seeds (``crawler.store.outcomes``)
    :param failures: ``(seed, reason)`` of the failed seeds
    :param seconds: how long the run took
    :param status: the exit status the run ends with
    """
    statuses = sorted(
        (int(key.rsplit("/", 1)[1]), count)
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/")
    )
    warc_files = list(warc_files)
    seed_errors = list(seed_errors)
    if seeds is None:
        seeds = SeedCounts(stats.get("seeds/count", 0), 0, 0, 0)
    verb = "finished" if reason == "finished" else "stopped"
    seed_line = (f"{seeds.fetched + seeds.failed} attempted: {seeds.fetched} fetched, "
                 f"{seeds.failed} failed"
                 + (f"; {seeds.not_tried} of {seeds.total} not tried" if seeds.not_tried
                    else ""))
    extras = [f"{len(seed_errors)} bad line{'s' if len(seed_errors) != 1 else ''}"
              if seed_errors else "",
              f"{stats.get('seeds/duplicates', 0)} duplicate"
              if stats.get("seeds/duplicates") else ""]
    extras = [e for e in extras if e]
    pages = stats.get("response_received_count", 0)
    warc_bytes = stats.get("archive/warc_bytes", 0)
    # Requests dropped unsent by a stop (crawler.fetch.stop) were counted on their way in.
    sent = stats.get("downloader/request_count", 0) - stats.get("stop/dropped_requests", 0)
    lines = [
        "",
        f"=== seedcrawler run {verb} ({reason}) ===",
        f"seeds        {seed_line}" + (f" ({', '.join(extras)})" if extras else ""),
        f"articles     {stats.get('articles/new', 0)} new, "
        f"{stats.get('articles/changed', 0)} changed, "
        f"{stats.get('articles/unchanged', 0)} unchanged; "
        f"{stats.get('articles/none', 0)} pages without article, "
        f"{stats.get('articles/not_html', 0)} not HTML"
        + (f"; {stats['articles/not_extracted']} not extracted (EXTRACT_ENABLED=False: "
           "crawler replay extracts them)" if stats.get("articles/not_extracted") else ""),
        f"requests     {sent} ({stats.get('retry/count', 0)} retries); responses "
        + (", ".join(f"{code}: {count}" for code, count in statuses) or "none"),
        f"revisits     {stats.get('archive/revisits', 0)} "
        f"({stats.get('pages/not_modified', 0)} not modified)",
        f"blocked      {stats.get('archive/errors/blocked', 0)}",
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
        f"WARC         {len(warc_files)} file(s), {warc_bytes:,} bytes ({_size(warc_bytes)}) "
        f"written, {stats.get('archive/captures', 0)} captures",
    ]
    lines += [f"             {path}" for path in warc_files[:5]]
    if len(warc_files) > 5:
        lines.append(f"             ... and {len(warc_files) - 5} more")
    lines.append(f"database     {db_path}")
    if seconds is not None:
        rate = f" ({pages / seconds:.1f} pages/s)" if seconds > 0 and pages else ""
        lines.append(f"time         {_duration(seconds)}{rate}")
    lines += _listed("failed", [f"{url}: {why}" for url, why in failures])
    lines += _listed("bad seed", seed_errors)
    if status is not None:
        lines.append(f"exit status  {status} ({EXIT_MEANINGS.get(status, '?')})")
    return "\n".join(lines)
