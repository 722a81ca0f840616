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
    from crawler.demo import run_demo

    result = run_demo(archive_dir)
    click.echo("")
    click.echo("=== seedcrawler demo ===")
    click.echo(f"pages archived   {result.captures} captures in {len(result.warc_files)} "
               f"WARC file(s), {result.warc_bytes:,} bytes")
    for path in result.warc_files:
        click.echo(f"                 {path}")
    click.echo(f"articles         {result.articles} in {result.db_path}")
    click.echo("")
    click.echo("Browse them:")
    click.echo(f"    datasette {result.db_path}")
    click.echo("Look inside the WARC files:")
    click.echo(f"    warcio index {archive_dir}/warc/*.warc.gz")
    if result.returncode != 0:
        raise click.ClickException(f"the crawl exited with status {result.returncode}")
    if result.articles == 0:
        raise click.ClickException("the demo crawl stored no article")


def main(args: list[str] | None = None) -> None:
    cli.main(args=args, prog_name="crawler")
