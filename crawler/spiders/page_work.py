"""The half of the ``seeds`` spider's work on a page that runs in an extraction worker: one
task per page, whatever it needs (what the page embeds and links to, its article row), so
that the body crosses to a worker once and the reactor waits on one result.

Imports nothing of Scrapy: the workers (``crawler.extract.pool``) import this module and
what extraction needs, no more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.extract.articles import build_article
from crawler.frontier.links import discover
from crawler.store.search_index import FOLDED_COLUMNS, folded_columns
from crawler.text.language import detect_language

if TYPE_CHECKING:
    from crawler.frontier.links import Found

__all__ = ["PRELOAD", "page_work", "warm_up"]

#: what a worker imports before its first page
PRELOAD = ("crawler.extract", "crawler.spiders.page_work")


def page_work(
    body: bytes,
    url: str,
    content_type: str | None,
    encoding: str | None,
    seed_url: str | None,
    capture_id: int | None,
    fetched_at: str | None,
    find: bool,
    extract: bool,
) -> tuple[Found | None, dict[str, Any] | None, Exception | None]:
    """What the spider needs of one page.

    :param find: find what the page embeds and links to (``crawler.frontier.links``)
    :param extract: build its article row (``crawler.extract.articles.build_article``), with
        the folded copies the full-text index needs, so the reactor does not fold it
    :return: what it embeds and links to (None unless ``find``), the article row (None: no
        article, or ``extract`` off), and the exception extraction raised (a notice page,
        mojibake, a bug), which the spider records as it would have recorded it raised
    """
    found = discover(body, url, encoding) if find else None
    article = error = None
    if extract:
        try:
            article = build_article(body, url, content_type, seed_url, capture_id, fetched_at)
        except Exception as exc:
            error = exc
        if article is not None and not all(name in article for name in FOLDED_COLUMNS):
            article.update(folded_columns(article))
    return found, article, error


# A sentence py3langid has to classify (no CJK shortcut): it loads its model.
_WARM_UP_TEXT = ("Les annotateurs de données sont devenus indispensables aux laboratoires "
                 "qui entraînent des modèles de langue.")


def warm_up() -> None:
    """Load the language model once, as a worker starts: while the crawl starts up, rather
    than at the first page that needs it."""
    detect_language(_WARM_UP_TEXT)
