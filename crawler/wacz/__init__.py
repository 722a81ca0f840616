"""WACZ: the archive's WARC files in one package replayweb.page opens with no server
(README: "WACZ").

    crawler wacz archive -o archive.wacz

:func:`write_wacz` packages the closed WARC files of an archive with py-wacz (``wacz`` on
PyPI: the CDXJ index, ``datapackage.json`` and its digest) and a ``pages.jsonl`` built
from the SQLite archive (:mod:`crawler.wacz.pages`): py-wacz's own page detection finds no
page in a crawl like ours, and its text option reads every page as UTF-8. The file is
written beside its final name and renamed into place, so a reader never sees half a file.
``WACZ_ENABLED`` writes one at the end of every crawl (:mod:`crawler.wacz.extension`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.wacz.pages import page_entries, write_pages
from crawler.warc.index import find_warcs

__all__ = ["WaczError", "WaczResult", "validate_wacz", "write_wacz"]

logger = logging.getLogger(__name__)


class WaczError(Exception):
    """A WACZ file that could not be written (nothing to package, py-wacz failed)."""


@dataclass
class WaczResult:
    """What :func:`write_wacz` packaged."""

    path: Path
    warc_files: list[Path] = field(default_factory=list)
    pages: int = 0
    skipped: list[Path] = field(default_factory=list)  # .open files: still being written
    seconds: float = 0.0

    def format(self) -> str:
        size = self.path.stat().st_size if self.path.exists() else 0
        lines = [f"wrote {self.path} ({size:,} bytes): {len(self.warc_files)} WARC file(s), "
                 f"{self.pages} page(s), in {self.seconds:.1f} s"]
        lines += [f"skipped {path} (still open: run a crawl to close it)"
                  for path in self.skipped]
        return "\n".join(lines)


def write_wacz(warc_dir: str | Path, db_path: str | Path, output: str | Path,
               text: bool = True, title: str | None = None) -> WaczResult:
    """Package the WARC files of ``warc_dir`` and their pages as the WACZ file ``output``.

    :param warc_dir: the archive's WARC folder (``WARC_DIR``); files still ``.open`` are
        left out
    :param db_path: its SQLite archive, for ``pages.jsonl``
    :param output: the WACZ file to write (replaced if it exists)
    :param text: put the articles' text in ``pages.jsonl``
    :param title: the package's title (default: the archive folder's name)
    :raises WaczError: no WARC file to package, no database, or py-wacz failed
    :raises FileNotFoundError: ``warc_dir`` does not exist
    """
    started = time.monotonic()
    warc_dir, db_path, output = Path(warc_dir), Path(db_path), Path(output)
    found = find_warcs([warc_dir])
    warcs = [warc for warc in found if not warc.is_open]
    result = WaczResult(output, [warc.path for warc in warcs],
                        skipped=[warc.path for warc in found if warc.is_open])
    if not warcs:
        raise WaczError(f"no closed WARC file in {warc_dir} to package")
    if not db_path.is_file():
        raise WaczError(f"no archive database at {db_path} (pages.jsonl is built from it)")
    names = [warc.path.name for warc in warcs]
    if len(set(names)) != len(names):
        raise WaczError(f"two WARC files in {warc_dir} have the same name: a WACZ keeps "
                        "them in one folder")
    title = title or db_path.parent.resolve().name or "seedcrawler archive"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wacz-", dir=output.parent) as workdir:
        pages_path = Path(workdir) / "pages.jsonl"
        result.pages = write_pages(
            pages_path, page_entries(db_path, warc_dir, {w.name for w in warcs}, text=text),
            title=title, has_text=text)
        partial = Path(workdir) / output.name
        args = ["create", "-o", str(partial), "--pages", str(pages_path), "--copy-pages",
                "--title", title, *(str(path) for path in result.warc_files)]
        status, log = _run_wacz(args)
        if status != 0 or not partial.is_file():
            raise WaczError(f"py-wacz could not package {warc_dir}: {log.strip()[-500:]}")
        os.replace(partial, output)
    result.seconds = time.monotonic() - started
    return result


def validate_wacz(path: str | Path) -> tuple[bool, str]:
    """Check a WACZ file with py-wacz (``wacz validate``): (valid, what it said)."""
    status, log = _run_wacz(["validate", "-f", str(path)])
    return status == 0, log.strip()


_WACZ_LOCK = threading.Lock()


def _run_wacz(args: list[str]) -> tuple[int, str]:
    """py-wacz's command line, in this process, its chatter kept for error messages.

    The package's index leaves out ``304 Not Modified`` revisits: replayweb.page serves one
    as an empty 304 (the image or stylesheet then fails to load), where without it the
    replay falls back to the capture the 304 stands for, which holds the same payload. The
    records stay in the WARC files, as archived.
    """
    import wacz.main

    indexer = wacz.main.WACZIndexer

    class Indexer(indexer):  # type: ignore[misc, valid-type]
        def filter_record(self, record: Any) -> bool:
            if record.rec_type == "revisit" and record.http_headers is not None and \
                    record.http_headers.get_statuscode() == "304":
                return False
            return bool(super().filter_record(record))

    out = io.StringIO()
    with _WACZ_LOCK, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        wacz.main.WACZIndexer = Indexer
        try:
            status = wacz.main.main(args)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:
            logger.debug("py-wacz failed", exc_info=True)
            return 1, f"{out.getvalue()}\n{type(exc).__name__}: {exc}"
        finally:
            wacz.main.WACZIndexer = indexer
    logger.debug("py-wacz %s: %s", args[0], out.getvalue())
    return int(status or 0), out.getvalue()
