"""CDXJ indexes of WARC files, the format pywb reads (README "Replay").

Every closed WARC file ``X.warc.gz`` gets ``X.warc.gz.cdxj`` beside it: one line per
``response``/``revisit`` record, ``<SURT> <14-digit timestamp> <JSON>``, sorted, the JSON
holding ``url``, ``mime``, ``status``, ``digest``, ``length``, ``offset``, ``filename`` and
``method``. The crawler writes it when it closes a file, ``crawler index`` for existing
files; :class:`CaptureIndex` loads them to find the latest capture of a URL without reading
the WARC files (``WARC_REPLAY``).

Lines come from ``cdxj-indexer``, the indexer pywb itself uses, with ``post_append`` (a POST
gets pywb's ``__wb_method=post`` key). A crawl makes the lines of the records it writes as it
writes them (``live_index.LiveIndex``): the same lines (a test compares them), without
reading a closed file back; a file holding anything else than response or revisit records
each paired with its GET request is indexed by cdxj-indexer.
"""

from __future__ import annotations

import io
import json
import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from w3lib.url import safe_url_string

from crawler.warc.reader import TruncatedWarc, iter_records
from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

INDEX_SUFFIX = ".cdxj"
WARC_SUFFIXES = (".warc.gz", ".warc")


@dataclass(frozen=True)
class WarcFile:
    """A WARC file found on disk, with the name the database knows it by.

    :param path: the file as it is on disk (``.open`` included)
    :param name: its path relative to the folder it was found in (or its file name), without
        ``.open``: the ``warc_file`` of its captures, as the crawler that wrote it records it
    """

    path: Path
    name: str

    @property
    def is_open(self) -> bool:
        """Whether the file is still being written, or was left by a crawl that died."""
        return self.path.name.endswith(OPEN_SUFFIX)


class NotWarc(ValueError):
    """A file given as a WARC file that is none (``crawler replay README.md``)."""


class NoWarcFiles(FileNotFoundError):
    """Paths that hold no WARC file at all (an empty folder)."""


def require_warcs(paths: Iterable[str | Path]) -> list[WarcFile]:
    """:func:`find_warcs`, and an error when it finds none.

    :raises NoWarcFiles: no WARC file among or in ``paths``
    """
    paths = list(paths)
    found = find_warcs(paths)
    if not found:
        names = ", ".join(str(p) for p in paths)
        raise NoWarcFiles(f"no WARC file (.warc.gz, .warc) in {names}")
    return found


WARC_MAGIC = b"WARC/"
GZIP_MAGIC = b"\x1f\x8b"


def looks_like_warc(path: str | Path) -> bool:
    """Whether a file starts with a WARC record (gzipped or not). An empty ``.open`` file
    (a crawl that died as it opened the file) counts as one."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        return path.name.endswith(OPEN_SUFFIX)
    if head.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 16).startswith(
                WARC_MAGIC)
        except zlib.error:
            return False
    return head.startswith(WARC_MAGIC)


def is_warc_name(name: str) -> bool:
    """Whether a file name is a WARC file's, closed or ``.open``."""
    return name.removesuffix(OPEN_SUFFIX).endswith(WARC_SUFFIXES)


def find_warcs(paths: Iterable[str | Path]) -> list[WarcFile]:
    """The WARC files among ``paths`` and in the folders among them (searched recursively),
    each once, in name order within a folder (the crawler's names sort by time).

    A file named among ``paths`` must be a WARC file (:class:`NotWarc` if it is not); a file
    in a folder with a WARC file's name that is not one is skipped with a warning.

    :raises FileNotFoundError: a path does not exist
    :raises NotWarc: a file named among ``paths`` is not a WARC file
    """
    found: list[WarcFile] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                (p for p in path.rglob("*") if p.is_file() and is_warc_name(p.name)),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            pairs = []
            for p in files:
                if looks_like_warc(p):
                    pairs.append((p, p.relative_to(path).as_posix()))
                else:
                    logger.warning("Skipping %s: named like a WARC file but not one", p)
        elif path.is_file():
            if not looks_like_warc(path):
                raise NotWarc(f"{path}: not a WARC file (it does not start with a WARC "
                              "record)")
            pairs = [(path, path.name)]
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
        for file, name in pairs:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append(WarcFile(file, name.removesuffix(OPEN_SUFFIX)))
    return found


# --- writing -------------------------------------------------------------------------------


def index_path(warc: str | Path) -> Path:
    """Where the CDXJ index of a WARC file goes: beside it, ``.cdxj`` added to its name."""
    warc = Path(warc)
    return warc.with_name(warc.name + INDEX_SUFFIX)


def index_is_fresh(warc: str | Path) -> bool:
    """Whether the WARC file has an index written after the file last changed."""
    warc = Path(warc)
    index = index_path(warc)
    try:
        return index.stat().st_mtime_ns >= warc.stat().st_mtime_ns
    except FileNotFoundError:
        return False


def cdxj_lines(warc: str | Path, filename: str | None = None) -> list[str]:
    """The sorted CDXJ lines of one WARC file (each ending in a newline).

    A file that ends inside a record (a crawl that died) is indexed up to its last whole
    record.

    :param warc: the WARC file
    :param filename: the ``filename`` the lines name (default: the file's name)
    """
    warc = Path(warc)
    out = io.StringIO()
    indexer = _indexer_class()(
        out, [str(warc)], post_append=True, fields="method", filename=filename or warc.name
    )
    whole_end = _whole_end(warc)
    try:
        indexer.process_all()
    except Exception as exc:  # a cut file: keep what was indexed before the cut
        if whole_end is None:
            raise
        logger.debug("indexing stopped in %s: %s", warc, exc)
    lines = [line + "\n" for line in out.getvalue().splitlines() if line.strip()]
    if whole_end is not None:
        lines = [line for line in lines if _end_of(line) <= whole_end]
    lines.sort()
    return lines


class _Records:
    """An ArchiveIterator whose response records have no content to buffer.

    cdxj-indexer copies every record's *decoded* content (``content_stream()``) to a spool
    file, although only POST request bodies are used: a gzip bomb in the archive would be
    inflated in full, and warcio cannot decode brotli at all. Request records keep theirs.
    """

    def __init__(self, records: Any) -> None:
        self._records = records

    def __iter__(self) -> Iterator[Any]:
        for record in self._records:
            if record.rec_type != "request":
                record.content_stream = _no_content
            yield record

    def get_record_offset(self) -> int:
        return self._records.get_record_offset()

    def get_record_length(self) -> int:
        return self._records.get_record_length()


def _no_content() -> io.BytesIO:
    return io.BytesIO()


@cache
def _indexer_class() -> type:
    # Imported when first needed: cdxj-indexer loads pkg_resources (a third of a second),
    # and a crawl that writes its lines itself never needs it.
    from cdxj_indexer.bufferiter import buffering_record_iter
    from cdxj_indexer.main import CDXJIndexer

    class _Indexer(CDXJIndexer):
        """cdxj-indexer's indexer, with its default record types pinned and no response
        payload read."""

        # cdxj-indexer's defaults, kept here: py-wacz, once imported, appends "warcinfo" to
        # CDXJIndexer.DEFAULT_RECORDS for every indexer of the process.
        DEFAULT_RECORDS = ["response", "revisit", "resource", "metadata"]

        def process_one(self, input_: Any, output: Any, filename: str) -> None:
            self.curr_filename = self.force_filename or self._resolve_rel_path(filename)
            it = self._create_record_iter(input_)
            self._write_header(output, filename)
            records = buffering_record_iter(_Records(it), post_append=self.post_append,
                                            url_key_func=self.get_url_key)
            for record in records:
                if not self.include_records or self.filter_record(record):
                    self.process_index_entry(it, record, filename, output)

    return _Indexer


def _whole_end(warc: Path) -> int | None:
    """Where the last whole record of a cut file ends; None for a whole file."""
    try:
        for _ in iter_records(warc, payloads=False):
            pass
    except TruncatedWarc as exc:
        return exc.offset
    return None


def _end_of(line: str) -> int:
    fields = json.loads(line.split(" ", 2)[2])
    return int(fields["offset"]) + int(fields["length"])


def write_index(warc: str | Path, lines: list[str] | None = None) -> Path:
    """Write the CDXJ index of a WARC file beside it (atomically) and return its path.

    :param lines: its lines, when they are known (``live_index.LiveIndex``); else the file
        is read
    """
    warc = Path(warc)
    target = index_path(warc)
    if lines is None:
        lines = cdxj_lines(warc)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    os.replace(tmp, target)
    return target


class BackgroundIndexer:
    """Indexes each WARC file the crawler closes, in a thread: a rollover of a 1 GB file must
    not hold up the crawl. :meth:`close` waits for the pending indexes."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._pending: list[tuple[Path, Future[Path]]] = []
        self.written: list[Path] = []
        self.failed: list[tuple[Path, str]] = []

    def submit(self, warc: Path, lines: list[str] | None = None) -> None:
        """Index a closed file; ``lines``, when known, are written at once instead."""
        if lines is not None:
            try:
                self.written.append(write_index(warc, lines))
            except OSError as exc:
                logger.error("Could not index %s: %s", warc, exc)
                self.failed.append((warc, f"{type(exc).__name__}: {exc}"))
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cdxj")
        self._pending.append((warc, self._executor.submit(write_index, warc)))

    def close(self) -> None:
        for warc, future in self._pending:
            try:
                self.written.append(future.result())
            except Exception as exc:
                # The WARC file is whole; its index can be written later (`crawler index`).
                logger.error("Could not index %s: %s", warc, exc, exc_info=True)
                self.failed.append((warc, f"{type(exc).__name__}: {exc}"))
        self._pending.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One CDXJ line: a ``response`` or ``revisit`` record and where it is."""

    urlkey: str
    timestamp: str
    url: str
    method: str
    status: int | None
    mime: str | None
    digest: str | None
    offset: int
    length: int
    path: Path  # the WARC file on disk

    @property
    def is_revisit(self) -> bool:
        return self.mime == "warc/revisit"


def parse_line(line: str, folder: Path) -> IndexEntry | None:
    """An index line as an entry (None for header lines such as ``!meta``).

    :param folder: the folder ``filename`` is relative to
    """
    if not line.strip() or line.startswith("!"):
        return None
    urlkey, timestamp, data = line.split(" ", 2)
    fields = json.loads(data)
    status = fields.get("status")
    return IndexEntry(
        urlkey=urlkey,
        timestamp=timestamp,
        url=fields["url"],
        method=(fields.get("method") or "GET").upper(),
        status=int(status) if status and status.isdigit() else None,
        mime=fields.get("mime"),
        digest=fields.get("digest"),
        offset=int(fields["offset"]),
        length=int(fields["length"]),
        path=folder / fields["filename"],
    )


def read_index(path: str | Path, folder: str | Path | None = None) -> Iterator[IndexEntry]:
    """The entries of a CDXJ file (``filename`` relative to ``folder``, default its own)."""
    path = Path(path)
    base = Path(folder) if folder is not None else path.parent
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            entry = parse_line(line, base)
            if entry is not None:
                yield entry


def _lookup_key(url: str) -> str:
    # Scrapy sends URLs through safe_url_string; other tools' WARCs may hold them raw.
    return safe_url_string(url)


class CaptureIndex:
    """The captures of a set of WARC files, by method and URL, from their CDXJ indexes.

    Files without an up-to-date index (``.open`` files, files from other tools, files
    changed since) are indexed in memory, with a log line; nothing is written.
    """

    def __init__(self) -> None:
        # (method, url) -> [(file order, entry)], sorted by capture time once loaded
        self._entries: dict[tuple[str, str], list[tuple[int, IndexEntry]]] = {}
        self.files: list[WarcFile] = []
        self.indexed_in_memory: list[WarcFile] = []

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> CaptureIndex:
        """Load the indexes of the WARC files among ``paths`` (files or folders)."""
        index = cls()
        for order, warc in enumerate(find_warcs(paths)):
            index.files.append(warc)
            if not warc.is_open and index_is_fresh(warc.path):
                entries: Iterable[IndexEntry] = read_index(index_path(warc.path))
            else:
                logger.info("No up-to-date CDXJ index for %s: indexing it in memory", warc.path)
                index.indexed_in_memory.append(warc)
                folder = warc.path.parent
                entries = (e for line in cdxj_lines(warc.path, warc.path.name)
                           if (e := parse_line(line, folder)) is not None)
            for entry in entries:
                index.add(entry, order)
        return index

    def add(self, entry: IndexEntry, order: int = 0) -> None:
        """Add one entry; ``order`` ranks its file among files (ties within a second)."""
        entries = self._entries.setdefault((entry.method, _lookup_key(entry.url)), [])
        entries.append((order, entry))
        # 14-digit timestamps tie within a second: then the later file, the later record.
        entries.sort(key=lambda item: (item[1].timestamp, item[0], item[1].offset))

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._entries.values())

    def captures(self, method: str, url: str) -> list[IndexEntry]:
        """Every capture of ``url`` fetched with ``method``, oldest first."""
        return [entry for _, entry in self._entries.get((method.upper(), _lookup_key(url)), ())]

    def latest(self, method: str, url: str) -> IndexEntry | None:
        """The latest capture of ``url`` fetched with ``method``, or None."""
        entries = self._entries.get((method.upper(), _lookup_key(url)))
        return entries[-1][1] if entries else None

    def original_of(self, revisit: IndexEntry, url: str | None = None,
                    timestamp: str | None = None) -> IndexEntry | None:
        """The full capture a revisit stands for: same payload digest, not a revisit, at the
        URL and time the revisit names if it names them, else the latest before it."""
        candidates = [
            e for e in self.captures(revisit.method, url or revisit.url)
            if not e.is_revisit and (not revisit.digest or e.digest == revisit.digest)
        ]
        if timestamp:
            exact = [e for e in candidates if e.timestamp == timestamp]
            candidates = exact or candidates
        earlier = [e for e in candidates if e.timestamp <= revisit.timestamp]
        pool = earlier or candidates
        return pool[-1] if pool else None
