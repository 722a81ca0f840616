"""Run CPU-bound extraction off the reactor thread, in a process pool across the cores."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _ignore_interrupts() -> None:
    # Ctrl-C on a terminal reaches the whole process group: the crawl stops cleanly and
    # closes the pool itself, so a worker must not die of it mid-page.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class WorkerPool:
    """A lazily started pool; ``workers=0`` runs tasks in one thread instead of processes.

    A worker that dies (a page that crashes the parser) breaks a process pool: the pool is
    then replaced and the task's error is raised to the caller, so one bad page costs one page.

    :param workers: processes to use (None: one per core)
    :param preload: modules the workers import once, before the first task
    """

    def __init__(self, workers: int | None = None, preload: tuple[str, ...] = ()) -> None:
        self.workers = default_workers() if workers is None else workers
        self.preload = preload
        self._executor: Executor | None = None

    def _start(self) -> Executor:
        if self.workers <= 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        # forkserver: the reactor process has threads, and forking it is unsafe.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(self.preload))
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_ignore_interrupts)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            self._executor = self._start()
        executor = self._executor
        try:
            return await asyncio.wrap_future(executor.submit(fn, *args))
        except BrokenProcessPool:
            logger.error("An extraction worker died; starting a new pool")
            if self._executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
            raise

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
