"""The memory of a process tree, sampled from /proc while it runs (Linux)."""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass, field

__all__ = ["TreeSampler"]


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    return children


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children = _children()
    pids, i = [pid], 0
    while i < len(pids):
        pids += children.get(pids[i], [])
        i += 1
    return pids


def tree_rss(pid: int) -> dict[int, int]:
    """Resident set size (bytes) of ``pid`` and of all its descendants, by pid."""
    return {p: _rss(p) for p in tree_pids(pid)}


def tree_pss(pid: int) -> dict[int, int]:
    """Proportional set size (bytes: shared pages split between the processes sharing
    them) of ``pid`` and of all its descendants, by pid."""
    return {p: _pss(p) for p in tree_pids(pid)}


@dataclass
class TreeSampler:
    """Samples the summed RSS of a process and its descendants every ``interval`` seconds
    until it exits; ``peak`` is the largest sum seen (bytes), ``at_peak`` its breakdown by
    pid."""

    process: subprocess.Popen
    interval: float = 0.05
    peak: int = 0
    samples: int = 0
    at_peak: dict[int, int] = field(default_factory=dict)
    #: the largest summed PSS seen (sampled every tenth time: smaps_rollup is slower)
    peak_pss: int = 0
    #: the largest RSS of the process itself (its descendants left out)
    peak_main: int = 0

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")
        self._thread.start()

    def _run(self) -> None:
        while self.process.poll() is None:
            sizes = tree_rss(self.process.pid)
            total = sum(sizes.values())
            self.samples += 1
            self.peak_main = max(self.peak_main, sizes.get(self.process.pid, 0))
            if total > self.peak:
                self.peak, self.at_peak = total, sizes
            if self.samples % 10 == 1 or total >= self.peak:
                self.peak_pss = max(self.peak_pss, sum(tree_pss(self.process.pid).values()))
            threading.Event().wait(self.interval)

    def join(self) -> None:
        self._thread.join()
