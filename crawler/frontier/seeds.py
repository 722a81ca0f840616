"""Seed lists: plain text, one URL per line, ``#`` comments and blank lines ignored.

Bad lines are reported with their file and line number and skipped; a URL seeded twice is
crawled once. Files are read as UTF-8 (a BOM is skipped; a UTF-16 BOM is honoured): a line
that is not UTF-8 (a file saved as GBK or Big5) is reported as a bad line with its number,
and every other line is still read. A file that cannot be read at all raises
:class:`SeedFileError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url, safe_url_string

SUPPORTED_SCHEMES = ("http", "https")
_TRAILING_COMMENT = re.compile(r"\s#.*$")
# The same on the raw bytes of a line: no trail byte of GBK, Big5 or Shift_JIS is "#" or
# white space, so a comment is found even on a line that is not UTF-8.
_TRAILING_COMMENT_BYTES = re.compile(rb"\s#.*$")


class SeedFileError(Exception):
    """A seed file that cannot be read at all: missing, a folder, not readable.

    :param path: the file as given
    :param reason: why, for a person (``no such file``)
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"seed file {path}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class Seed:
    url: str
    source: str  # "file:line" or "urls" for inline seeds


@dataclass(frozen=True)
class SeedError:
    source: str
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}: {self.text!r}"


@dataclass
class SeedList:
    seeds: list[Seed] = field(default_factory=list)
    errors: list[SeedError] = field(default_factory=list)
    duplicates: int = 0
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, text: str, source: str) -> None:
        url, reason = check_url(text)
        if reason:
            self.errors.append(SeedError(source, text, reason))
            return
        key = canonicalize_url(url)
        if key in self._seen:
            self.duplicates += 1
            return
        self._seen.add(key)
        self.seeds.append(Seed(url, source))

    @property
    def urls(self) -> list[str]:
        return [seed.url for seed in self.seeds]


def check_url(text: str) -> tuple[str, str | None]:
    """Return ``(url, None)`` for a crawlable URL, else ``(text, reason)``."""
    if any(ch.isspace() for ch in text):
        return text, "not a URL (contains white space)"
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        return text, f"not a URL ({exc})"
    if not parts.scheme:
        return text, "not a URL (no scheme)"
    if parts.scheme.lower() not in SUPPORTED_SCHEMES:
        return text, f"unsupported scheme {parts.scheme!r}"
    if not parts.hostname:
        return text, "not a URL (no host)"
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return text, "not a URL (bad port)"
    return safe_url_string(text), None


def read_seed_lines(lines: Iterable[str], origin: str, into: SeedList,
                    first_line: int = 1) -> SeedList:
    for number, raw in enumerate(lines, start=first_line):
        # "#" opens a comment at the start of a line or after white space; inside a URL it
        # is a fragment.
        text = _TRAILING_COMMENT.sub("", raw).strip()
        if not text or text.startswith("#"):
            continue
        into.add(text, f"{origin}:{number}")
    return into


def read_seed_file(path: str | Path, into: SeedList) -> SeedList:
    """Add the seeds of a file to ``into``; bad lines, undecodable ones included, become
    its errors.

    :raises SeedFileError: the file cannot be read
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SeedFileError(path, "no such file") from None
    except IsADirectoryError:
        raise SeedFileError(path, "is a folder, not a file") from None
    except PermissionError:
        raise SeedFileError(path, "permission denied") from None
    except OSError as exc:
        raise SeedFileError(path, exc.strerror or str(exc)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Saved as "Unicode" by Windows Notepad: UTF-16 with its BOM.
        return read_seed_lines(data.decode("utf-16", "replace").splitlines(), str(path),
                               into)
    data = data.removeprefix(b"\xef\xbb\xbf")
    for number, raw in enumerate(data.split(b"\n"), start=1):
        stripped = _TRAILING_COMMENT_BYTES.sub(b"", raw).strip()
        if not stripped or stripped.startswith(b"#"):
            continue
        try:
            text = stripped.decode("utf-8")
        except UnicodeDecodeError as exc:
            into.errors.append(SeedError(
                f"{path}:{number}", stripped.decode("utf-8", "replace"),
                f"not UTF-8 (byte 0x{stripped[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8"))
            continue
        read_seed_lines([text], str(path), into, first_line=number)
    return into


def load_seeds(path: str | Path | None = None, urls: str | None = None) -> SeedList:
    """Read seeds from a file and/or a comma-separated list; the union, deduplicated.

    :param path: a seed file (one URL per line)
    :param urls: inline seeds, ``URL[,URL...]``
    :raises SeedFileError: the file cannot be read
    """
    seed_list = SeedList()
    if path:
        read_seed_file(path, seed_list)
    if urls:
        for number, text in enumerate(urls.split(","), start=1):
            if text.strip():
                seed_list.add(text.strip(), f"urls:{number}")
    return seed_list
