"""Offline replay: rebuild or refresh the SQLite archive from WARC files (README "Replay").

    crawler replay PATH... [--db FILE]

The WARC files are the source of truth; the database is a view of them, rebuilt by the same
adapter, extraction and store code as a live crawl (:mod:`crawler.replay.replayer`; the
worker side is :mod:`crawler.replay.worker`). No network access is made.
"""

from crawler.replay.replayer import Replayer, ReplayResult, recover_files, replay

__all__ = ["ReplayResult", "Replayer", "recover_files", "replay"]
