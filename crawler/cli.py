"""The ``crawler`` command: crawl, demo, replay, index and browse."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from crawler import __version__

#: `crawler crawl` usage errors: not 2, which is a crawl's "another run holds the archive"
#: (crawler.store.outcomes.EXIT_USAGE)
CRAWL_USAGE_STATUS = 6


class OneLineCommand(click.Command):
    """A command whose usage errors are one line, not the usage text and the error."""

    usage_status = 2

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            error = click.ClickException(
                f"{exc.format_message()} (see {ctx.command_path} --help)")
            error.exit_code = self.usage_status
            raise error from None


class CrawlCommand(OneLineCommand):
    usage_status = CRAWL_USAGE_STATUS


class Group(click.Group):
    command_class = OneLineCommand


def runnable(name: str) -> str:
    """How to type one of this install's console scripts here: its bare name when the shell
    finds this very script, else its path (``.venv/bin/crawler``)."""
    script = Path(sys.executable).parent / name
    found = shutil.which(name)
    if found and Path(found).resolve() == script.resolve():
        return name
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="seedcrawler")
def cli() -> None:
    """seedcrawler: archive news and social pages as WARC, clean text and SQLite.

    Crawl with `crawler crawl` (or `scrapy crawl seeds`, the same crawl); see README.md.
    """


@cli.command(cls=CrawlCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--seeds", "seeds_file", metavar="FILE",
              help="A seed file: one URL per line (default: SEEDS_FILE, seeds/seeds.txt, "
                   "unless --urls is given).")
@click.option("--urls", multiple=True, metavar="URL[,URL...]",
              help="Seeds given inline; repeatable. With --seeds, the union is crawled.")
@click.option("--archive-dir", metavar="DIR",
              help="Where all output goes (the ARCHIVE_DIR setting; default archive).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Any setting (README: Settings); repeatable.")
@click.option("-L", "--loglevel", metavar="LEVEL",
              help="Log level: DEBUG, INFO (default), WARNING, ERROR. The summary is always "
                   "printed.")
@click.option("--logfile", metavar="FILE", help="Write the log to FILE instead of stderr.")
def crawl(seeds_file: str | None, urls: tuple[str, ...], archive_dir: str | None,
          settings: tuple[str, ...], loglevel: str | None, logfile: str | None) -> None:
    """Crawl seeds into the archive: the same crawl as `scrapy crawl seeds`.

    Every exchange goes to WARC files under the archive folder, articles to its SQLite
    database. It ends with a summary, and an exit status to alert on: 0 every seed fetched,
    3 some failed, 4 none fetched (or no seeds), 5 stopped by Ctrl-C, 2 another crawl holds
    the archive, 6 a mistake on the command line, 7 the archive cannot be written.

    Example:

        crawler crawl --seeds my-seeds.txt --archive-dir /data/archive -s DOWNLOAD_DELAY=2
    """
    argv = ["scrapy", "crawl", "seeds"]
    if seeds_file is not None:
        argv += ["-a", f"seeds={seeds_file}"]
    if urls:
        argv += ["-a", "urls=" + ",".join(u.strip() for u in urls if u.strip())]
    if archive_dir is not None:
        argv += ["-s", f"ARCHIVE_DIR={archive_dir}"]
    for pair in settings:
        if "=" not in pair:
            error = click.ClickException(f"-s {pair}: write it NAME=VALUE")
            error.exit_code = CRAWL_USAGE_STATUS
            raise error
        argv += ["-s", pair]
    if loglevel:
        argv += ["-L", loglevel]
    if logfile:
        argv += ["--logfile", logfile]
    # The project's settings wherever the command is run from (no scrapy.cfg needed).
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.cmdline import execute

    execute(argv)  # exits with the crawl's status


@cli.command()
@click.option("--archive-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("archive/demo"), show_default=True,
              help="Where the demo writes its WARC files and database.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port of the demo site on 127.0.0.1 (default: 8765, or the port the "
                   "archive's last demo used; 0: any free port).")
def demo(archive_dir: Path, port: int | None) -> None:
    """Crawl the bundled fixture pages from a local server, offline.

    Serves pages built from seeds/fixtures/ on 127.0.0.1, runs `scrapy crawl seeds` on
    them, then prints where the WARC files and the database are and how to browse them.
    Run it again and the same pages are crawled again as a scheduled crawl would: unchanged
    articles are kept once (the site keeps its port; if the port is taken, the demo's
    archive is started afresh).

    Example:

        crawler demo --archive-dir /tmp/demo
    """
    from crawler.demo.run import DEMO_EXPECTED_STATUSES, run_demo

    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"--archive-dir {archive_dir}: cannot create it "
                                   f"({exc.strerror or exc})") from None
    result = run_demo(archive_dir, port=port)
    crawler, warcio = runnable("crawler"), runnable("warcio")
    click.echo("")
    click.echo("=== seedcrawler demo ===")
    for note in result.notes:
        click.echo(f"note             {note}")
    click.echo(f"demo site        {result.base_url}")
    click.echo(f"pages archived   {result.captures} captures in {len(result.warc_files)} "
               f"WARC file(s), {result.warc_bytes:,} bytes")
    for path in result.warc_files:
        click.echo(f"                 {path}")
    click.echo(f"articles         {result.articles} in {result.db_path}")
    if result.returncode in DEMO_EXPECTED_STATUSES and result.returncode:
        click.echo(f"crawl status     {result.returncode}: some seeds failed, as they should: "
                   "the demo seeds a page that answers 404")
    click.echo("")
    if crawler != "crawler":
        click.echo("The commands are in the project's virtualenv: run them as below, or "
                   f"activate it once (. {Path(crawler).parent}/activate) and type them "
                   "without the path.")
    click.echo("Browse them (Datasette on http://127.0.0.1:8001/):")
    click.echo(f"    {crawler} browse --db {result.db_path}")
    if Path("Makefile").is_file() and not result.db_path.is_absolute():
        click.echo(f"    make browse DB={result.db_path}            (the same)")
    click.echo("Rebuild the database from the WARC files alone:")
    click.echo(f"    {crawler} replay {archive_dir}/warc --db /tmp/rebuilt.db")
    click.echo("Look inside the WARC files:")
    click.echo(f"    {warcio} index {archive_dir}/warc/*.warc.gz")
    if result.returncode not in DEMO_EXPECTED_STATUSES:
        raise click.ClickException(f"the crawl exited with status {result.returncode}")
    if result.articles == 0:
        raise click.ClickException("the demo crawl stored no article")


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None,
              help="The SQLite archive to rebuild or refresh (created when missing; its "
                   "folder must exist). Default: archive/archive.db.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Extraction processes (default: one per core; 0: in this process).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress bars (default: when stderr is a terminal).")
def replay(paths: tuple[Path, ...], db_path: Path | None, workers: int | None,
           progress: bool | None) -> None:
    """Rebuild or refresh the SQLite archive from WARC files, offline.

    PATHS are WARC files (.warc.gz, .warc, and .open files a crash left) and folders of
    them. Every response becomes a capture row and every seed's latest page goes through
    the same extraction as a live crawl. Replaying the same files twice changes nothing.

    Example:

        crawler replay archive/warc --db rebuilt.db
    """
    import logging
    import sqlite3

    from crawler.replay import replay as run_replay
    from crawler.warc.index import require_warcs

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        require_warcs(paths)  # before anything is created: README.md is no WARC file
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if db_path is None:  # the crawl's default, created as a crawl creates it
        db_path = Path("archive/archive.db")
        db_path.parent.mkdir(parents=True, exist_ok=True)
    check_db_path(db_path)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = run_replay(paths, db_path, workers=workers, progress=show)
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"--db {db_path}: {exc}") from None
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.format())


def check_db_path(db_path: Path) -> None:
    """A ``--db`` to write: its folder exists, and the file, if any, is an SQLite database."""
    from crawler.store.paths import SQLITE_HEADER

    if not db_path.parent.is_dir():
        raise click.ClickException(f"--db {db_path}: the folder {db_path.parent} does not "
                                   "exist (create it, or give another path)")
    if db_path.is_file() and db_path.stat().st_size:
        with open(db_path, "rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise click.ClickException(f"--db {db_path}: not an SQLite database")


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Rewrite indexes that are up to date.")
def index(paths: tuple[Path, ...], force: bool) -> None:
    """Write the CDXJ index (pywb's format) of WARC files: X.warc.gz.cdxj beside X.warc.gz.

    PATHS are WARC files and folders of them. The crawler indexes every file it closes;
    this covers older files and files from other tools. Files still .open are skipped.

    Example:

        crawler index archive/warc
    """
    from crawler.warc.index import index_is_fresh, require_warcs, write_index

    try:
        warcs = require_warcs(paths)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    written = fresh = skipped = 0
    for warc in warcs:
        if warc.is_open:
            click.echo(f"skipped  {warc.path} (still open: run a crawl to repair it)", err=True)
            skipped += 1
        elif not force and index_is_fresh(warc.path):
            fresh += 1
        else:
            try:
                click.echo(f"indexed  {write_index(warc.path)}")
            except Exception as exc:
                raise click.ClickException(f"{warc.path}: {exc}") from exc
            written += 1
    click.echo(f"{written} index(es) written, {fresh} up to date, {skipped} skipped")


@cli.command()
@click.argument("archive_dir", required=False, default=Path("archive"),
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The WACZ file to write (default: ARCHIVE_DIR/archive.wacz).")
@click.option("--warc-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The WARC folder (default: ARCHIVE_DIR/warc).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The SQLite archive pages.jsonl is built from (default: "
                   "ARCHIVE_DIR/archive.db).")
@click.option("--text/--no-text", default=True, show_default=True,
              help="Put the articles' text in pages.jsonl (replayweb.page searches it).")
@click.option("--title", help="The package's title (default: the archive folder's name).")
@click.option("--validate", is_flag=True, help="Check the file with `wacz validate` after.")
def wacz(archive_dir: Path, output: Path | None, warc_dir: Path | None, db_path: Path | None,
         text: bool, title: str | None, validate: bool) -> None:
    """Package an archive's WARC files as one WACZ file, with its pages.

    The closed WARC files of ARCHIVE_DIR (default: archive), their CDXJ index and a
    pages.jsonl built from the database (URL, time, title and the article text), written
    with py-wacz. Open it in replayweb.page, or view it with `crawler browse`.

    Example:

        crawler wacz archive -o news.wacz --validate
    """
    from crawler.wacz import WaczError, validate_wacz, write_wacz

    output = output or archive_dir / "archive.wacz"
    try:
        result = write_wacz(warc_dir or archive_dir / "warc",
                            db_path or archive_dir / "archive.db", output, text=text,
                            title=title)
    except (WaczError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(result.format())
    if validate:
        valid, message = validate_wacz(output)
        if not valid:
            raise click.ClickException(f"{output} is not valid: {message[-500:]}")
        click.echo(f"valid    {output}")


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("archive/archive.db"), show_default=True,
              help="The SQLite archive to serve.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind to (0.0.0.0 makes it reachable from other machines).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port to listen on.")
@click.option("--immutable", is_flag=True,
              help="Datasette's immutable mode: faster, for an archive no crawl writes to.")
@click.option("--get", "get_path", metavar="PATH",
              help="Answer one request in-process, print the response and exit "
                   "(0 for HTTP 200, else 1), e.g. --get '/archive/search.json?q=數據'.")
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path),
              help="The archive's WARC folder, for the viewer (default: warc/ beside --db).")
@click.option("--wacz", "wacz_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The WACZ file the viewer replays, built and refreshed as needed "
                   "(default: archive.wacz beside --db).")
@click.option("--viewer/--no-viewer", default=True, show_default=True,
              help="Link every capture and article to its archived rendering "
                   "(replayweb.page, at /-/view).")
@click.option("--setup-viewer", is_flag=True,
              help="Fetch replayweb.page from the npm registry (once) and exit.")
def browse(db_path: Path, host: str, port: int, immutable: bool, get_path: str | None,
           warc_dir: Path | None, wacz_path: Path | None, viewer: bool,
           setup_viewer: bool) -> None:
    """Serve the archive read-only with Datasette, on 127.0.0.1 unless told otherwise.

    Checkpoints the WAL first, then serves the database under its file stem (/archive for
    archive.db) with descriptions, facets and canned queries: search (every word, any
    language and script, any length), latest, failed, captures_of_url, and changed once
    article versions exist. The search page is /-/search; --get prints UTF-8. Every
    capture and article links to the page as archived (/-/view?capture=ID), drawn by
    replayweb.page from the archive packaged as a WACZ file; fetch the viewer once with
    --setup-viewer.

    Example:

        crawler browse --db archive/archive.db --port 8001
    """
    import logging
    import subprocess
    import sys

    from crawler.browse.app import NoArchive, database_name, get, open_archive, serve
    from crawler.browse.viewer import (
        ViewerConfig,
        ViewerSetupError,
        install_viewer,
        viewer_dir,
        viewer_installed,
    )

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if setup_viewer:
        try:
            folder = install_viewer()
        except (ViewerSetupError, OSError, subprocess.SubprocessError) as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"replayweb.page is in {folder}")
        return
    config = None
    if viewer:
        config = ViewerConfig(db_path=db_path.resolve(),
                              warc_dir=(warc_dir or db_path.parent / "warc").resolve(),
                              wacz_path=(wacz_path or db_path.parent / "archive.wacz").resolve(),
                              assets=viewer_dir())
        if not viewer_installed(config.assets) and not get_path:
            click.echo("The archived-page viewer is not set up: run "
                       "`crawler browse --setup-viewer` once.", err=True)
    try:
        ds = open_archive(db_path, immutable=immutable, viewer=config)
    except NoArchive as exc:
        raise click.ClickException(str(exc)) from exc
    if get_path:
        status, body = get(ds, get_path, readable=True)
        # UTF-8 whatever the locale says (cron's C locale would refuse Chinese)
        click.echo(body.encode("utf-8"))
        sys.exit(0 if status == 200 else 1)
    mode = "immutable" if immutable else "read-only"
    click.echo(f"Serving {db_path} ({mode}) at http://{host}:{port}/{database_name(db_path)}",
               err=True)
    serve(ds, host=host, port=port)


def main(args: list[str] | None = None) -> None:
    cli.main(args=args, prog_name="crawler")
