"""CDXJ lines of the records a crawl writes, made as it writes them (see
``crawler.warc.index``): closing a WARC file then does not mean reading it back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

    from crawler.warc.writer import RecordLocation

__all__ = ["LiveIndex"]

_MIME_END = re.compile(r"[;\s]")


def _url_key(url: str) -> str:
    from surt import surt  # as cdxj-indexer keys lines

    try:
        return surt(url)
    except Exception:  # what cdxj-indexer does with a URL surt cannot read
        return url


class LiveIndex:
    """CDXJ lines of the records a crawl writes, made as it writes them, per file.

    For a response or revisit record written with its request in the same call (the crawl's
    exchanges) the line is the one cdxj-indexer gives. A file that holds anything this does
    not cover (a POST or PUT, whose key holds its body; a resource record; an unpaired
    response) gets no lines here (:meth:`take` returns None): it is indexed by reading it.
    """

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def add(self, records: Sequence[ArcWarcRecord], locations: Sequence[RecordLocation]) -> None:
        """Lines for records just written (after the writer filled in their headers)."""
        if not locations:
            return
        name = locations[0].warc_file
        lines = self._lines.setdefault(name, [])
        for i, (record, location) in enumerate(zip(records, locations, strict=True)):
            if lines is None:
                return
            kind = record.rec_type
            if kind in ("request", "warcinfo") or (
                    kind == "metadata" and record.rec_headers.get_header("Content-Type")
                    == "application/warc-fields"):
                continue
            request = records[i + 1] if i + 1 < len(records) else None
            line = None
            if kind == "revisit":
                # cdxj-indexer pairs requests with response records only: no method here
                line = self._line(record, location, None)
            elif kind == "response" and request is not None and \
                    request.rec_type == "request" and request.http_headers and \
                    request.rec_headers.get_header("WARC-Concurrent-To") == location.record_id \
                    and request.rec_headers.get_header("WARC-Target-URI") == \
                    record.rec_headers.get_header("WARC-Target-URI"):
                line = self._line(record, location, request.http_headers.protocol)
            if line is None:
                self._lines[name] = lines = None
            else:
                lines.append(line)

    @staticmethod
    def _line(record: ArcWarcRecord, location: RecordLocation, method: str | None
              ) -> str | None:
        if method is not None and (not method or method.upper() in ("POST", "PUT")):
            return None
        from warcio.timeutils import iso_date_to_timestamp

        headers = record.rec_headers
        http = record.http_headers
        url = headers.get_header("WARC-Target-URI")
        if record.rec_type == "revisit":
            mime = "warc/revisit"
        else:
            value = http.get_header("Content-Type") if http else None
            mime = _MIME_END.split(value, 1)[0].strip() if value else None
        fields = {
            "url": url,
            "mime": mime or None,
            "status": http.get_statuscode() if http else None,
            "digest": headers.get_header("WARC-Payload-Digest"),
            "length": str(location.length),
            "offset": str(location.offset),
            "filename": location.warc_file,
            "method": method,
        }
        index = {key: value for key, value in fields.items() if value is not None}
        timestamp = iso_date_to_timestamp(headers.get_header("WARC-Date"))
        return f"{_url_key(url)} {timestamp} {json.dumps(index)}\n"

    def take(self, name: str) -> list[str] | None:
        """The sorted lines of a closed file (None: index it by reading it); forgets them."""
        lines = self._lines.pop(name, None)
        return sorted(lines) if lines is not None else None
