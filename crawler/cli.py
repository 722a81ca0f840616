"""The ``crawler`` command: demo (and, as they land, replay and browse)."""

from __future__ import annotations

from pathlib import Path

import click

from crawler import __version__


@click.group()
@click.version_option(__version__, prog_name="seedcrawler")
def cli() -> None:
    """seedcrawler: archive news and social pages as WARC, clean text and SQLite.

    Crawling itself is `scrapy crawl seeds` (see README.md).
    """


@cli.command()
@click.option("--archive-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("archive/demo"), show_default=True,
              help="Where the demo writes its WARC files and database.")
def demo(archive_dir: Path) -> None:
    """Crawl the bundled fixture pages from a local server, offline.

    Serves pages built from seeds/fixtures/ on 127.0.0.1, runs `scrapy crawl seeds` on
    them, then prints where the WARC files and the database are and how to browse them.

    Example:

        crawler demo --archive-dir /tmp/demo
    """
    from crawler.demo.run import run_demo

    result = run_demo(archive_dir)
    click.echo("")
    click.echo("=== seedcrawler demo ===")
    click.echo(f"pages archived   {result.captures} captures in {len(result.warc_files)} "
               f"WARC file(s), {result.warc_bytes:,} bytes")
    for path in result.warc_files:
        click.echo(f"                 {path}")
    click.echo(f"articles         {result.articles} in {result.db_path}")
    click.echo("")
    click.echo("Browse them (Datasette on http://127.0.0.1:8001/):")
    click.echo(f"    crawler browse --db {result.db_path}")
    click.echo("Rebuild the database from the WARC files alone:")
    click.echo(f"    crawler replay {archive_dir}/warc --db /tmp/rebuilt.db")
    click.echo("Look inside the WARC files:")
    click.echo(f"    warcio index {archive_dir}/warc/*.warc.gz")
    if result.returncode != 0:
        raise click.ClickException(f"the crawl exited with status {result.returncode}")
    if result.articles == 0:
        raise click.ClickException("the demo crawl stored no article")


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("archive/archive.db"), show_default=True,
              help="The SQLite archive to rebuild or refresh (created when missing).")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Extraction processes (default: one per core; 0: in this process).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress bars (default: when stderr is a terminal).")
def replay(paths: tuple[Path, ...], db_path: Path, workers: int | None,
           progress: bool | None) -> None:
    """Rebuild or refresh the SQLite archive from WARC files, offline.

    PATHS are WARC files (.warc.gz, .warc, and .open files a crash left) and folders of
    them. Every response becomes a capture row and every seed's latest page goes through
    the same extraction as a live crawl. Replaying the same files twice changes nothing.

    Example:

        crawler replay archive/warc --db rebuilt.db
    """
    import logging
    import sys

    from crawler.replay import replay as run_replay

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = run_replay(paths, db_path, workers=workers, progress=show)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(result.format())


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
    from crawler.warc.index import find_warcs, index_is_fresh, write_index

    written = fresh = skipped = 0
    for warc in find_warcs(paths):
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
