"""What became of each seed of a run, and the exit status that sums it up (README "Exit
status").

A seed is *fetched* when an answer for it reached the spider (a page, a feed, a 304 "not
modified", a redirect followed to a page), and *failed* when it could not be had: a network
error, an HTTP error status, a wall or a deleted post, robots.txt, a URL missing from the
archive under ``WARC_REPLAY``. An article stored for the seed makes it fetched whatever
failed on the way (a Weibo post kept with its truncated text). A seed with neither was *not
tried*: the run stopped first.
"""

from __future__ import annotations

from dataclasses import dataclass

#: every seed fetched
EXIT_OK = 0
#: an unexpected error (a bug): Python's own status for an uncaught exception
EXIT_ERROR = 1
#: another crawl holds ARCHIVE_DIR: nothing was done (crawler.commands.crawl)
EXIT_LOCKED = 2
#: some seeds failed or were bad lines, the others were fetched
EXIT_SOME_FAILED = 3
#: no seed could be fetched, or there was none to fetch
EXIT_NONE_FETCHED = 4
#: stopped before the end: Ctrl-C, SIGTERM or a CLOSESPIDER_* limit
EXIT_STOPPED = 5
#: a mistake on the command line: unknown option or spider argument, a bad setting value,
#: a seed file that cannot be read, a WARC_REPLAY that holds no WARC file
EXIT_USAGE = 6
#: ARCHIVE_DIR, WARC_DIR or ARCHIVE_DB cannot be written
EXIT_ARCHIVE = 7
#: the shared frontier of a worker (REDIS_URL) does not answer: nothing was done
EXIT_FRONTIER = 8

EXIT_MEANINGS = {
    EXIT_OK: "every seed fetched",
    EXIT_ERROR: "unexpected error",
    EXIT_LOCKED: "another crawl holds the archive",
    EXIT_SOME_FAILED: "some seeds failed",
    EXIT_NONE_FETCHED: "no seed fetched",
    EXIT_STOPPED: "stopped before the end",
    EXIT_USAGE: "command line or setting error",
    EXIT_ARCHIVE: "archive not writable",
    EXIT_FRONTIER: "shared frontier (REDIS_URL) unreachable",
}

_PENDING, _RESPONDED, _FAILED, _STORED = range(4)


@dataclass(frozen=True)
class SeedCounts:
    total: int
    fetched: int
    failed: int
    not_tried: int
    invalid: int = 0


class SeedLedger:
    """The outcome of every seed of a run (feed entries included), by URL as seeded.

    Events for a URL that is not a seed are ignored, so callers may report every failure.
    """

    def __init__(self) -> None:
        self._state: dict[str, int] = {}
        self._reason: dict[str, str] = {}

    def __contains__(self, url: object) -> bool:
        return url in self._state

    def add(self, url: str) -> None:
        """A seed to crawl (from the seed list, or an entry of a feed seed)."""
        self._state.setdefault(url, _PENDING)

    def responded(self, url: str) -> None:
        self._raise(url, _RESPONDED)

    def stored(self, url: str) -> None:
        """An article was stored (or found unchanged) for the seed."""
        self._raise(url, _STORED)

    def failed(self, url: str, reason: str) -> None:
        if url in self._state and self._state[url] != _STORED:
            self._raise(url, _FAILED)
            self._reason[url] = reason

    def _raise(self, url: str, state: int) -> None:
        if url in self._state:
            self._state[url] = max(self._state[url], state)

    def counts(self, invalid: int = 0) -> SeedCounts:
        states = list(self._state.values())
        failed = states.count(_FAILED)
        pending = states.count(_PENDING)
        return SeedCounts(total=len(states), fetched=len(states) - failed - pending,
                          failed=failed, not_tried=pending, invalid=invalid)

    def failures(self) -> list[tuple[str, str]]:
        """``(seed, reason)`` of every failed seed, in seeding order."""
        return [(url, self._reason.get(url, "")) for url, state in self._state.items()
                if state == _FAILED]

    def give_up_pending(self, reason: str) -> None:
        """At the end of a run that finished: a seed with no outcome yet got no answer (a
        request dropped on the way), which is a failure, not a seed left for later."""
        for url, state in self._state.items():
            if state == _PENDING:
                self._state[url] = _FAILED
                self._reason[url] = reason


def exit_status(counts: SeedCounts, reason: str) -> int:
    """The status ``scrapy crawl seeds`` exits with, from the seeds' outcomes.

    :param counts: the run's seed counts
    :param reason: Scrapy's finish reason (``finished``, ``shutdown``, ``closespider_...``)
    """
    if reason != "finished":
        return EXIT_STOPPED
    if counts.fetched == 0:
        return EXIT_NONE_FETCHED
    if counts.failed or counts.invalid or counts.not_tried:
        return EXIT_SOME_FAILED
    return EXIT_OK
