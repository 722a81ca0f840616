"""What a replay did, and the summary ``crawler replay`` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ReplayResult"]


@dataclass
class ReplayResult:
    """What a replay did; :meth:`format` is the summary the CLI prints."""

    db_path: Path
    files: int = 0
    records: int = 0
    captures: int = 0
    extracted: int = 0
    articles: dict[str, int] = field(default_factory=dict)  # store status -> count
    no_article: int = 0
    not_html: int = 0
    feeds: int = 0  # feeds and sitemaps: archived, not extracted (as live)
    unavailable: int = 0  # deleted or walled pages (PageUnavailable), recorded in errors
    partial: int = 0  # partial (WARC-Truncated), too large or undecodable: not extracted
    errors: int = 0
    truncated: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles_stored(self) -> int:
        return sum(self.articles.values())

    def format(self) -> str:
        rate = self.records / self.seconds if self.seconds else 0.0
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(self.articles.items()))
        lines = [
            "",
            "=== seedcrawler replay finished ===",
            f"files        {self.files} WARC file(s)"
            + (f", {len(self.truncated)} truncated" if self.truncated else ""),
            f"records      {self.records} read, {self.captures} captures",
            f"articles     {self.articles_stored} stored"
            + (f" ({statuses})" if statuses else "")
            + f", {self.no_article} pages without article, {self.not_html} not HTML"
            + (f", {self.feeds} feeds" if self.feeds else "")
            + (f", {self.unavailable} deleted or blocked" if self.unavailable else "")
            + (f", {self.partial} partial or too large" if self.partial else ""),
            f"errors       {self.errors} recorded"
            + (" (see the errors table)" if self.errors else ""),
            f"time         {self.seconds:.1f} s ({rate:.0f} records/s, "
            f"{self.extracted / self.seconds if self.seconds else 0:.1f} pages/s extracted)",
            f"database     {self.db_path}",
        ]
        lines += [f"truncated    {item}" for item in self.truncated]
        return "\n".join(lines)
