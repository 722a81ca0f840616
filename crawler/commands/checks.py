"""What ``scrapy crawl seeds`` checks before it starts: every ordinary mistake becomes one
line naming the option, file or setting, and an exit status (README "Exit status"), never a
traceback from deep inside Scrapy.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scrapy.settings import default_settings

from crawler import settings as project_settings
from crawler.frontier.seeds import SeedFileError, load_seeds
from crawler.store.outcomes import EXIT_ARCHIVE, EXIT_USAGE
from crawler.store.paths import ArchivePaths, ArchiveUnwritable
from crawler.warc.index import NotWarc, find_warcs

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


class SetupError(Exception):
    """A mistake found before the crawl starts: its message and the exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def _names(module: Any) -> set[str]:
    return {name for name in dir(module) if name.isupper() and not name.startswith("_")}


#: settings seedcrawler defines (crawler/settings.py) and Scrapy's own
OUR_SETTINGS = _names(project_settings)
SCRAPY_SETTINGS = _names(default_settings)
# Settings of ours whose default (None) says nothing of their type.
_TYPE_OF_NONE = {"EXTRACT_WORKERS": int, "PROGRESS_BAR": bool}
_AT_LEAST = {"WARC_MAX_SIZE": 1, "EXTRACT_WORKERS": 0, "CONCURRENT_REQUESTS": 1,
             "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 0, "DOWNLOAD_TIMEOUT": 0,
             "RETRY_TIMES": 0, "FEED_MAX_AGE_DAYS": 0, "FEED_SITEMAP_MAX_DEPTH": 0,
             "WEIBO_RETRY_TIMES": 0, "PROGRESS_INTERVAL": 0}


def check_spider_arguments(spidercls: type, spargs: dict[str, str]) -> None:
    """``-a NAME=VALUE`` names the spider does not take are an error (``-a seed=`` must not
    fall back to the default seeds and fetch real sites)."""
    known = getattr(spidercls, "arguments", None)
    if known is None:
        return
    allowed = set(known) | set(getattr(spidercls, "tool_arguments", ()))
    for name in spargs:
        if name not in allowed:
            near = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = f"did you mean -a {near[0]}=? " if near else ""
            raise SetupError(f"unknown spider argument -a {name}=...: {hint}the "
                             f"{getattr(spidercls, 'name', 'spider')} spider takes "
                             + ", ".join(f"-a {n}=" for n in known))


def check_seeds(spargs: dict[str, str], settings: BaseSettings) -> None:
    """The seed file can be read (missing, a folder, no permission: one line)."""
    for name in ("seeds", "urls"):
        # An empty value (a script's empty variable) must not mean "the default seeds".
        if name in spargs and not spargs[name].strip(" ,"):
            raise SetupError(f"-a {name}= is empty: give "
                             + ("a seed file" if name == "seeds" else "at least one URL"))
    path = spargs.get("seeds")
    if not path and not spargs.get("urls"):
        path = settings.get("SEEDS_FILE")
        if not path:
            raise SetupError("no seeds: give -a seeds=FILE or -a urls=URL[,URL...]")
    try:
        load_seeds(path or None, None)
    except SeedFileError as exc:
        origin = "" if spargs.get("seeds") else " (SEEDS_FILE, read when no seeds are given)"
        raise SetupError(f"cannot read the seed file {path}{origin}: {exc.reason}") from None


def check_archive(settings: BaseSettings) -> ArchivePaths:
    """ARCHIVE_DIR, WARC_DIR and ARCHIVE_DB can be created and written."""
    if not str(settings.get("ARCHIVE_DIR") or "").strip():
        # A script's empty variable must not mean ./archive.
        raise SetupError("ARCHIVE_DIR is empty: give the folder of the archive", EXIT_USAGE)
    paths = ArchivePaths.from_settings(settings)
    try:
        paths.check_writable()
    except ArchiveUnwritable as exc:
        raise SetupError(str(exc), EXIT_ARCHIVE) from None
    return paths


def check_replay_source(settings: BaseSettings) -> None:
    """WARC_REPLAY, when set, names WARC files."""
    source = settings.get("WARC_REPLAY")
    if not source:
        return
    try:
        files = find_warcs([source])
    except (FileNotFoundError, NotWarc) as exc:
        raise SetupError(f"WARC_REPLAY={source}: {exc}") from None
    if not files:
        raise SetupError(f"WARC_REPLAY={source}: no WARC file in it")


def check_setting_values(settings: BaseSettings, names: Iterable[str]) -> None:
    """Settings of a known type hold a value of that type (``-s WARC_MAX_SIZE=1GB``)."""
    for name in names:
        default = getattr(project_settings, name, getattr(default_settings, name, None))
        value = settings.get(name)
        if name in _TYPE_OF_NONE and value in (None, "", "auto"):
            continue
        kind = _TYPE_OF_NONE.get(name, type(default))
        try:
            if kind is bool:
                settings.getbool(name)
                continue
            if kind is int:
                number: float = settings.getint(name)
            elif kind is float:
                number = settings.getfloat(name)
            elif kind is dict:
                settings.getdict(name)
                continue
            else:
                continue
        except (TypeError, ValueError):
            what = {bool: "True or False", int: "a whole number", float: "a number",
                    dict: "a JSON object"}[kind]
            raise SetupError(f"-s {name}={value}: {name} must be {what}") from None
        low = _AT_LEAST.get(name)
        if low is not None and number < low:
            raise SetupError(f"-s {name}={value}: {name} must be at least {low}")


def setting_warnings(names: Iterable[str]) -> list[str]:
    """A warning for every ``-s`` name that is no setting but close to one of seedcrawler's
    or Scrapy's (``ARCHVE_DIR``)."""
    known = OUR_SETTINGS | SCRAPY_SETTINGS
    warnings = []
    for name in names:
        if name in known:
            continue
        near = difflib.get_close_matches(name, sorted(OUR_SETTINGS), n=1, cutoff=0.8) or \
            difflib.get_close_matches(name, sorted(SCRAPY_SETTINGS), n=1, cutoff=0.85)
        if near:
            warnings.append(f"-s {name}: no such setting; did you mean {near[0]}? "
                            f"({name} is passed on but nothing reads it)")
        else:
            logger.debug("-s %s: not a setting of seedcrawler or Scrapy (a plug-in's?)", name)
    return warnings


def cmdline_setting_names(pairs: Iterable[str]) -> list[str]:
    """The names of ``-s NAME=VALUE`` options, in order."""
    return [pair.split("=", 1)[0] for pair in pairs if "=" in pair]


def check_log_file(settings: BaseSettings) -> None:
    """LOG_FILE (``--logfile``), when set, can be written."""
    path = settings.get("LOG_FILE")
    if not path:
        return
    try:
        with open(path, "a", encoding=settings.get("LOG_ENCODING") or "utf-8"):
            pass
    except OSError as exc:
        raise SetupError(f"--logfile/LOG_FILE {path}: cannot write it "
                         f"({exc.strerror or exc})") from None


def check_log_level(settings: BaseSettings) -> None:
    """LOG_LEVEL (``-L``) is a level name; ``-L warning`` is taken for ``WARNING``."""
    level = settings.get("LOG_LEVEL")
    if isinstance(level, int):
        return
    name = str(level).strip().upper()
    if name not in logging.getLevelNamesMapping():
        raise SetupError(f"-L/LOG_LEVEL {level}: not a log level (DEBUG, INFO, WARNING, "
                         "ERROR or CRITICAL)")
    if name != level:
        settings.set("LOG_LEVEL", name, priority=settings.getpriority("LOG_LEVEL") or 0)
