"""Extraction quality: seedcrawler's ``extract()`` against plain trafilatura, page by page.

    python benchmarks/extraction_eval.py            # the markdown table (as in the README)
    python benchmarks/extraction_eval.py --show NAME  # one page: expected vs extracted
    python benchmarks/extraction_eval.py --json       # scores as JSON

The corpus is ``benchmarks/corpus/``: ``<name>.json`` (``url``, ``content_type``,
``encoding``, ``language``, ``site``, ``expected`` and either ``html``, a file next to it
holding the page bytes as served, or ``fixture``, a path of the fixture site built from
``seeds/fixtures`` by ``crawler.demo.site.pages.build_site()``).

Scores: F1 between the expected text and the extracted text. Chinese (``language`` ``zh``)
is compared on character bigrams, whitespace and punctuation removed; other languages on
lower-cased word tokens. Both are bags (multisets): repeated text counts as often as it
occurs. A page where nothing is extracted scores 0.

"plain trafilatura" is ``trafilatura.bare_extraction(body, url=url, include_comments=False)``
with every other option at its default, given the body bytes as served (trafilatura decodes
them itself). "seedcrawler" is ``crawler.extract.extract(body, url, content_type)``.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import mean

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
LANGUAGES = ("zh", "en", "fr")

# Replacement characters and the usual shapes of UTF-8 read as Latin-1/GBK and vice versa.
_MOJIBAKE_RE = re.compile(r"\ufffd|锟斤拷|烫烫烫|Ã.|â€|ï¼|é\u0080|å\u0085|æ\u009c")
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    """One corpus page: the bytes as served and the hand-checked text."""

    name: str
    url: str
    content_type: str | None
    encoding: str
    language: str
    site: str
    expected: str
    body: bytes


@dataclass(frozen=True)
class Score:
    """The scores of one page."""

    name: str
    site: str
    encoding: str
    language: str
    trafilatura: float
    seedcrawler: float
    trafilatura_mojibake: bool
    seedcrawler_mojibake: bool


# --------------------------------------------------------------------------- metrics


def _strip(text: str) -> str:
    # Letters, digits and marks only: whitespace, punctuation and symbols carry no content.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of ``text`` with whitespace and punctuation removed."""
    chars = _strip(text)
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def tokens(text: str) -> Counter[str]:
    """Lower-cased word tokens of ``text``."""
    return Counter(_WORD_RE.findall(text.lower()))


def f1(expected: Counter[str], got: Counter[str]) -> float:
    """F1 of two bags: 2PR/(P+R) with their multiset intersection as true positives."""
    if not expected and not got:
        return 1.0
    overlap = sum((expected & got).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def score_text(expected: str, got: str | None, language: str) -> float:
    """Bigram F1 for Chinese, token F1 for everything else; 0 for nothing extracted."""
    if not got:
        return 0.0
    bag = bigrams if language == "zh" else tokens
    return f1(bag(expected), bag(got))


def has_mojibake(text: str | None) -> bool:
    """Whether text shows replacement characters or the shapes of a wrong decoding."""
    return bool(text and _MOJIBAKE_RE.search(text))


# --------------------------------------------------------------------------- corpus


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> list[Page]:
    """Every page of the corpus, sorted by name."""
    fixture_site = None
    pages = []
    for meta_path in sorted(corpus_dir.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if "fixture" in meta:
            if fixture_site is None:
                from crawler.demo.site.pages import build_site

                fixture_site = build_site()
            body = fixture_site[meta["fixture"]].body
        else:
            body = (corpus_dir / meta["html"]).read_bytes()
        pages.append(
            Page(
                name=meta_path.stem,
                url=meta["url"],
                content_type=meta.get("content_type"),
                encoding=meta["encoding"],
                language=meta["language"],
                site=meta["site"],
                expected=meta["expected"],
                body=body,
            )
        )
    return pages


# --------------------------------------------------------------------------- extractors


def plain_trafilatura(page: Page) -> str | None:
    import trafilatura

    document = trafilatura.bare_extraction(page.body, url=page.url, include_comments=False)
    return document.text if document is not None else None


def seedcrawler(page: Page) -> str | None:
    from crawler.adapters.base import PageUnavailable
    from crawler.extract import extract

    try:
        result = extract(page.body, page.url, page.content_type)
    except PageUnavailable:
        return None
    return result["text"] if result else None


EXTRACTORS = {"trafilatura": plain_trafilatura, "seedcrawler": seedcrawler}


def evaluate(pages: list[Page]) -> list[Score]:
    """Score both extractors on every page."""
    scores = []
    for page in pages:
        texts = {name: run(page) for name, run in EXTRACTORS.items()}
        scores.append(
            Score(
                name=page.name,
                site=page.site,
                encoding=page.encoding,
                language=page.language,
                trafilatura=score_text(page.expected, texts["trafilatura"], page.language),
                seedcrawler=score_text(page.expected, texts["seedcrawler"], page.language),
                trafilatura_mojibake=has_mojibake(texts["trafilatura"]),
                seedcrawler_mojibake=has_mojibake(texts["seedcrawler"]),
            )
        )
    return scores


def _mean(scores: list[Score], attr: str) -> float:
    return mean(getattr(s, attr) for s in scores) if scores else float("nan")


def render_table(scores: list[Score]) -> str:
    """The markdown table: one row per page, then the means."""

    def cell(value: float, mojibake: bool) -> str:
        return f"{value:.3f}" + (" (mojibake)" if mojibake else "")

    lines = [
        "| page | site | encoding | lang | plain trafilatura | seedcrawler |",
        "|---|---|---|---|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.name} | {s.site} | {s.encoding} | {s.language} "
            f"| {cell(s.trafilatura, s.trafilatura_mojibake)} "
            f"| {cell(s.seedcrawler, s.seedcrawler_mojibake)} |"
        )
    groups = [
        ("**mean, Chinese (bigram F1)**", [s for s in scores if s.language == "zh"]),
        ("**mean, English/French (token F1)**", [s for s in scores if s.language != "zh"]),
        ("**mean, all pages**", scores),
    ]
    for label, group in groups:
        lines.append(
            f"| {label} | {len(group)} pages | | "
            f"| **{_mean(group, 'trafilatura'):.3f}** | **{_mean(group, 'seedcrawler'):.3f}** |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--show", metavar="NAME", help="print one page's texts side by side")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="corpus directory")
    args = parser.parse_args(argv)
    # trafilatura reports pages it finds nothing in; the table says so already.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = load_corpus(args.corpus)
    if args.show:
        page = next((p for p in pages if p.name == args.show), None)
        if page is None:
            parser.error(f"no page named {args.show!r}")
        for name, run in EXTRACTORS.items():
            text = run(page)
            value = score_text(page.expected, text, page.language)
            print(f"===== {name}: F1 {value:.3f}\n{text}\n")
        print(f"===== expected\n{page.expected}")
        return 0
    scores = evaluate(pages)
    if args.json:
        print(json.dumps([asdict(s) for s in scores], ensure_ascii=False, indent=1))
    else:
        print(render_table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
