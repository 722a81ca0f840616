"""Crash points for the crash-safety tests.

``SEEDCRAWLER_CRASH_AT=name:N`` makes the process SIGKILL itself the Nth time it reaches
``crash_point(name)``: a real, unclean death at an exact moment (between two parts of one
record's write, between the WARC write and the capture row, inside a database transaction).
Unset, a crash point costs one comparison.
"""

from __future__ import annotations

import os
import signal

_name, _, _count = (os.environ.get("SEEDCRAWLER_CRASH_AT") or "").rpartition(":")
_remaining = int(_count or 1)


def crash_point(name: str) -> None:
    global _remaining
    if name != _name:
        return
    _remaining -= 1
    if _remaining <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
