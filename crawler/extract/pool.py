"""Run CPU-bound extraction off the reactor thread, in a process pool across the cores."""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _ignore_interrupts() -> None:
    # Ctrl-C on a terminal reaches the whole process group: the crawl stops cleanly and
    # closes the pool itself, so a worker must not die of it mid-page.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def resident_bytes() -> int:
    """This process's resident memory now (Linux); elsewhere its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _exit_with(crawl_pid: int) -> None:
    """End this worker when the crawl process is gone, however it went (kill -9, the OOM
    killer): a worker waits on its queue for ever otherwise, and the forkserver with it."""
    try:
        fd = os.pidfd_open(crawl_pid)
    except ProcessLookupError:
        os._exit(0)  # gone before this worker started
    except (AttributeError, OSError):
        return  # not Linux 5.3+

    def watch() -> None:
        import select

        select.select([fd], [], [])  # readable once that process has exited
        os._exit(0)

    threading.Thread(target=watch, name="crawl-watch", daemon=True).start()


def _init_worker(preload: tuple[str, ...], initializer: Callable[[], None] | None,
                 crawl_pid: int | None = None) -> None:
    _ignore_interrupts()
    if crawl_pid is not None:
        _exit_with(crawl_pid)
    for name in preload:
        importlib.import_module(name)
    if initializer is not None:
        initializer()


def _task(fn: Callable[..., T], args: tuple[Any, ...]) -> tuple[T, int]:
    """A task as a worker runs it: its result, and the worker's memory once it is done."""
    return fn(*args), resident_bytes()


class WorkerPool:
    """A lazily started pool; ``workers=0`` runs tasks in one thread instead of processes.

    A worker that dies (a page that crashes the parser) breaks a process pool: the pool is
    then replaced and the task's error is raised to the caller, so one bad page costs one page.

    A worker that holds more than ``max_memory`` bytes once a task is done (a huge page
    left its memory to the allocator) is not kept for the rest of the crawl: the pool is
    replaced by a fresh one, the old one finishing the tasks it was given before its
    processes exit.

    :param workers: processes to use (None: one per core)
    :param preload: modules the workers import once, before the first task (the forkserver
        imports none: it stays small, and every new worker imports them itself)
    :param initializer: run once in every worker after the imports (e.g. to load models)
    :param max_memory: resident bytes past which a worker is retired (None: never)
    """

    def __init__(self, workers: int | None = None, preload: tuple[str, ...] = (),
                 initializer: Callable[[], None] | None = None,
                 max_memory: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self.preload = preload
        self.initializer = initializer
        self.max_memory = max_memory
        self.recycled = 0  # pools retired for a worker's memory
        self._executor: Executor | None = None

    def _start(self) -> Executor:
        if self.workers <= 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        # forkserver: the reactor process has threads, and forking it is unsafe. It imports
        # nothing (by default it would import __main__: Scrapy): each worker imports
        # `preload` itself, so the forkserver stays at the size of a bare interpreter.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([])
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_init_worker,
                                   initargs=(self.preload, self.initializer, os.getpid()))

    def start(self) -> None:
        """Start the workers now (they import and initialise while the crawl starts up)
        rather than at the first task."""
        if self._executor is None:
            self._executor = self._start()
        if isinstance(self._executor, ProcessPoolExecutor):
            for _ in range(self.workers):  # each spawns a worker, which runs the initializer
                self._executor.submit(int)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            self._executor = self._start()
        executor = self._executor
        if not isinstance(executor, ProcessPoolExecutor):
            return await asyncio.wrap_future(executor.submit(fn, *args))
        try:
            result, memory = await asyncio.wrap_future(executor.submit(_task, fn, args))
        except BrokenProcessPool:
            logger.error("An extraction worker died; starting a new pool")
            self._retire(executor)
            raise
        if self.max_memory is not None and memory > self.max_memory:
            self._recycle(executor, memory)
        return result

    def _recycle(self, executor: Executor, memory: int) -> None:
        if self._executor is not executor:
            return  # retired already
        self.recycled += 1
        logger.info("An extraction worker holds %d MB after a task (limit %d MB): starting "
                    "new workers", memory >> 20, (self.max_memory or 0) >> 20)
        self._retire(executor, cancel=False)

    def _retire(self, executor: Executor, cancel: bool = True) -> None:
        if self._executor is executor:
            # without waiting: the tasks it holds finish (or fail, when it broke), then its
            # processes exit
            executor.shutdown(wait=False, cancel_futures=cancel)
            self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
