"""Extraction quality: seedcrawler's ``extract()`` against plain trafilatura, on real saved pages
and on the pages written for this project, with the speed of both.

    python benchmarks/extraction_eval.py                        # real (dev split), written
    python benchmarks/extraction_eval.py --corpus real --split heldout   # the held-out split
    python benchmarks/extraction_eval.py --corpus real --pages  # one row per page too
    python benchmarks/extraction_eval.py --show NAME            # one page: expected vs extracted
    python benchmarks/extraction_eval.py --repeat 3             # pages/s: best of 3 runs per page
    python benchmarks/extraction_eval.py --json                 # scores as JSON

Two corpora:

- **real** (``benchmarks/corpus-real/pages/``, git-ignored, made by
  ``benchmarks/corpus-real/build.py`` from the public repositories ``manifest.json`` pins):
  pages saved by other projects, ``<name>.meta.json`` beside the bytes, each in a ``dev`` or
  a ``heldout`` split. The rules of ``crawler.extract`` are tuned on ``dev`` only; the
  held-out split is scored only when asked (``--split heldout`` or ``all``) and reported apart.
- **written** (``benchmarks/corpus/``): ``<name>.json`` (``url``, ``content_type``,
  ``encoding``, ``language``, ``site``, ``site_class``, ``expected`` and either ``html``, a
  file next to it holding the page bytes as served, or ``fixture``, a path of the fixture
  site built from ``seeds/fixtures`` by ``crawler.demo.site.pages.build_site()``).

Scores: F1 between the expected text and the extracted text. Chinese and Japanese (``zh``, ``ja``)
is compared on character bigrams, whitespace and punctuation removed; other languages on
lower-cased word tokens. Both are bags (multisets): repeated text counts as often as it
occurs. A page where nothing is extracted scores 0; a negative page (``kind: negative``, no
article on it) scores 1 when nothing is extracted, else 0. A title is right when it equals
the expected headline up to white space, case and Unicode compatibility forms. An output has
mojibake when it holds U+FFFD, a usual shape of a wrong decoding, or characters that are
nowhere in the page decoded with its true encoding.

"plain trafilatura" is ``trafilatura.bare_extraction(body, url=url, include_comments=False,
with_metadata=True)`` with every other option at its default, given the body bytes as served
(trafilatura decodes them itself; metadata on, for its title, as issue 10 compares speed).
"seedcrawler" is ``crawler.extract.extract(body, url, content_type)``. pages/s: the pages
over the summed CPU time of each extractor on them (best of ``--repeat`` interleaved runs
per page), in this one process: CPU time, not wall time, so that other work on a shared
machine weighs less on the ratio.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import html
import json
import logging
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import mean

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
REAL_CORPUS_DIR = HERE / "corpus-real" / "pages"
# Languages written without spaces between words are compared on character bigrams.
UNSPACED = ("zh", "ja")
OURS = ("en", "fr")  # the Latin-script languages the rules are made for (batches 4, 5: others)

# Replacement characters and the usual shapes of UTF-8 read as Latin-1/GBK and vice versa.
_MOJIBAKE_RE = re.compile(r"\ufffd|锟斤拷|烫烫烫|Ã.|â€|вЂ|ï¼|é\u0080|å\u0085|æ\u009c")
_WORD_RE = re.compile(r"\w+")
# Characters of an output that are not in the page decoded right: more than this share of
# its non-ASCII characters (and at least _FOREIGN_MIN of them) is a wrong decoding.
_FOREIGN_SHARE = 0.01
_FOREIGN_MIN = 3


@dataclass(frozen=True)
class Page:
    """One corpus page: the bytes as served and the checked text."""

    name: str
    url: str
    content_type: str | None
    encoding: str
    language: str
    site: str
    expected: str
    body: bytes
    site_class: str = ""
    kind: str = "article"
    split: str = "written"
    title: str | None = None


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
    site_class: str = ""
    kind: str = "article"
    split: str = "written"
    trafilatura_empty: bool = False
    seedcrawler_empty: bool = False
    trafilatura_title: bool | None = None
    seedcrawler_title: bool | None = None
    trafilatura_seconds: float = 0.0
    seedcrawler_seconds: float = 0.0


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
    """Bigram F1 for Chinese and Japanese, token F1 for everything else; 0 for nothing
    extracted."""
    if not got:
        return 0.0
    bag = bigrams if language in UNSPACED else tokens
    return f1(bag(expected), bag(got))


def has_mojibake(text: str | None, page_chars: frozenset[str] | None = None) -> bool:
    """Whether text shows replacement characters or the shapes of a wrong decoding, or (given
    the characters of the page decoded right) characters the page does not have. A
    replacement character the page itself holds (a dataset that stored a page after a lossy
    conversion) is the page's, not the extractor's."""
    if not text:
        return False
    own = page_chars is not None and "\ufffd" in page_chars
    if any(not (own and found == "\ufffd") for found in _MOJIBAKE_RE.findall(text)):
        return True
    if page_chars is None:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    foreign = sum(ch not in page_chars for ch in wide)
    return foreign >= _FOREIGN_MIN and foreign > _FOREIGN_SHARE * len(wide)


def page_characters(page: Page) -> frozenset[str]:
    """Every character of the page decoded with its true encoding (entities and JSON string
    escapes resolved), and of its text with the UTF-8 its site once misread as Windows-1252
    or 1251 read back (ftfy): the characters a faithful extractor may give."""
    from ftfy import fix_encoding

    text = page.body.decode(codecs.lookup(page.encoding).name, errors="replace")
    chars = set(html.unescape(text))
    for line in html.unescape(text).splitlines():  # line by line: a whole page is mixed
        chars |= set(fix_encoding(line))
    if text.lstrip().startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            chars |= set(json.dumps(json.loads(text), ensure_ascii=False))
    return frozenset(chars)


def same_title(expected: str | None, got: str | None) -> bool | None:
    """Whether ``got`` is the expected headline (None when no headline is expected)."""
    if expected is None:
        return None
    if not got:
        return False

    def norm(value: str) -> str:
        return "".join(unicodedata.normalize("NFKC", value).split()).casefold()

    return norm(expected) == norm(got)


# --------------------------------------------------------------------------- corpora


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> list[Page]:
    """Every page of the written corpus, sorted by name."""
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
                site_class=meta.get("site_class", ""),
            )
        )
    return pages


def load_real_corpus(pages_dir: Path = REAL_CORPUS_DIR, split: str = "dev",
                     batch: int | Iterable[int] | None = None) -> list[Page]:
    """The pages of the real corpus in ``split`` (``dev``, ``heldout`` or ``all``), by name;
    of one ``batch`` (or of several) only when given (pages added together;
    corpus-real/README.md).

    :raises FileNotFoundError: the pages have not been built (``corpus-real/build.py``)
    """
    batches = {batch} if isinstance(batch, int) else set(batch or ())
    metas = sorted(pages_dir.glob("*.meta.json"))
    if not metas:
        raise FileNotFoundError(
            f"no pages in {pages_dir}: build them with "
            "python benchmarks/corpus-real/build.py --mirror-dir DIR"
        )
    pages = []
    for meta_path in metas:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if split != "all" and meta["split"] != split:
            continue
        if batch is not None and meta.get("batch", 1) not in batches:
            continue
        pages.append(
            Page(
                name=meta["name"],
                url=meta["url"] or "",
                content_type=meta.get("content_type"),
                encoding=meta["encoding"],
                language=meta["language"],
                site=meta["site"] or "",
                expected=meta["expected"] or "",
                body=(pages_dir / meta["file"]).read_bytes(),
                site_class=meta["site_class"],
                kind=meta["kind"],
                split=meta["split"],
                title=meta.get("title"),
            )
        )
    return pages


# --------------------------------------------------------------------------- extractors


def plain_trafilatura(page: Page) -> tuple[str | None, str | None]:
    """(text, title) of plain trafilatura."""
    import trafilatura

    document = trafilatura.bare_extraction(
        page.body, url=page.url or None, include_comments=False, with_metadata=True
    )
    if document is None:
        return None, None
    return document.text, document.title


def seedcrawler(page: Page) -> tuple[str | None, str | None]:
    """(text, title) of ``crawler.extract.extract``."""
    from crawler.adapters.base import PageUnavailable
    from crawler.extract import extract

    try:
        result = extract(page.body, page.url, page.content_type)
    except PageUnavailable:
        return None, None
    return (result["text"], result.get("title")) if result else (None, None)


EXTRACTORS = {"trafilatura": plain_trafilatura, "seedcrawler": seedcrawler}


def _warm_up(pages: list[Page]) -> None:
    # Imports, the language model and lxml's first parse are paid once, outside the timing.
    latin = [p for p in pages if p.language != "zh"][:1]  # loads the language model
    for run in EXTRACTORS.values():
        for page in pages[:2] + latin:
            run(page)


def evaluate(pages: list[Page], repeat: int = 1) -> list[Score]:
    """Score both extractors on every page, timing each (best of ``repeat`` interleaved runs)."""
    _warm_up(pages)
    outputs: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    best: dict[tuple[str, str], float] = {}
    for round_ in range(max(1, repeat)):
        order = list(EXTRACTORS.items())
        if round_ % 2:
            order.reverse()
        for page in pages:
            for name, run in order:
                started = time.process_time()
                output = run(page)
                elapsed = time.process_time() - started
                key = (page.name, name)
                outputs.setdefault(key, output)
                best[key] = min(best.get(key, elapsed), elapsed)
    scores = []
    for page in pages:
        chars = page_characters(page)
        fields: dict[str, object] = {}
        for name in EXTRACTORS:
            text, title = outputs[(page.name, name)]
            if page.kind == "negative":
                value = 1.0 if not (text and text.strip()) else 0.0
            else:
                value = score_text(page.expected, text, page.language)
            fields[name] = value
            fields[f"{name}_mojibake"] = has_mojibake(text, chars) or has_mojibake(title, chars)
            fields[f"{name}_empty"] = page.kind != "negative" and not (text and text.strip())
            fields[f"{name}_title"] = same_title(page.title, title)
            fields[f"{name}_seconds"] = best[(page.name, name)]
        scores.append(
            Score(
                name=page.name,
                site=page.site,
                encoding=page.encoding,
                language=page.language,
                site_class=page.site_class,
                kind=page.kind,
                split=page.split,
                **fields,  # type: ignore[arg-type]
            )
        )
    return scores


# --------------------------------------------------------------------------- tables


def _mean(scores: list[Score], attr: str) -> float:
    return mean(getattr(s, attr) for s in scores) if scores else float("nan")


def render_table(scores: list[Score]) -> str:
    """The per-page markdown table: one row per page, then the means."""

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
        ("**mean, English/French (token F1)**", [s for s in scores if s.language in OURS]),
        ("**mean, other languages**", [s for s in scores if _other(s)]),
        ("**mean, all pages**", scores),
    ]
    for label, group in groups:
        if not group:
            continue
        lines.append(
            f"| {label} | {len(group)} pages | | "
            f"| **{_mean(group, 'trafilatura'):.3f}** | **{_mean(group, 'seedcrawler'):.3f}** |"
        )
    return "\n".join(lines)


def _other(score: Score) -> bool:
    return score.language != "zh" and score.language not in OURS


def _rate(scores: list[Score], name: str) -> float:
    seconds = sum(getattr(s, f"{name}_seconds") for s in scores)
    return len(scores) / seconds if seconds else float("nan")


def summary(scores: list[Score]) -> dict[str, object]:
    """The summary figures of a set of scores (as in :func:`render_summary`)."""
    articles = [s for s in scores if s.kind != "negative"]
    out: dict[str, object] = {"pages": len(scores)}
    for name in EXTRACTORS:
        titled = [s for s in scores if getattr(s, f"{name}_title") is not None]
        out[name] = {
            "zh": _mean([s for s in articles if s.language == "zh"], name),
            "latin": _mean([s for s in articles if s.language in OURS], name),
            "other": _mean([s for s in articles if _other(s)], name),
            "all": _mean(scores, name),
            "empty": sum(getattr(s, f"{name}_empty") for s in articles),
            "mojibake": sum(getattr(s, f"{name}_mojibake") for s in scores),
            "titles_right": sum(bool(getattr(s, f"{name}_title")) for s in titled),
            "titles": len(titled),
            "pages_per_s": _rate(scores, name),
        }
    out["speed_ratio"] = out["seedcrawler"]["pages_per_s"] / out["trafilatura"]["pages_per_s"]
    return out


def render_summary(scores: list[Score]) -> str:
    """The markdown table by site class, with the means, empty outputs, mojibake, titles and
    speed of both extractors."""
    lines = [
        "| site class | pages | metric | plain trafilatura | seedcrawler |",
        "|---|---:|---|---:|---:|",
    ]
    def order(scores_of_class: list[Score]) -> tuple[int, str]:
        language = scores_of_class[0].language
        rank = 0 if language == "zh" else 1 if language in OURS else 2
        return rank, scores_of_class[0].site_class

    by_class: dict[str, list[Score]] = {}
    for s in scores:
        by_class.setdefault(s.site_class, []).append(s)
    classes = [group[0].site_class for group in sorted(by_class.values(), key=order)]
    for site_class in classes:
        group = [s for s in scores if s.site_class == site_class]
        kinds = {s.kind for s in group}
        languages = {s.language for s in group}
        metric = (
            "right (nothing extracted)" if kinds == {"negative"}
            else "bigram F1" if languages <= set(UNSPACED) else "token F1"
        )  # fmt: skip
        lines.append(
            f"| {site_class} | {len(group)} | {metric} "
            f"| {_mean(group, 'trafilatura'):.3f} | {_mean(group, 'seedcrawler'):.3f} |"
        )
    figures = summary(scores)
    plain, ours = figures["trafilatura"], figures["seedcrawler"]
    articles = [s for s in scores if s.kind != "negative"]
    zh = sum(s.language == "zh" for s in articles)
    latin = sum(s.language in OURS for s in articles)
    other = sum(_other(s) for s in articles)
    rows = [
        ("**mean, Chinese articles**", zh, "bigram F1", "zh", "{:.3f}"),
        ("**mean, English/French**", latin, "token F1", "latin", "{:.3f}"),
        ("**mean, other languages**", other, "token / bigram F1", "other", "{:.3f}"),
        ("**mean, all pages**", len(scores), "F1 / right", "all", "{:.3f}"),
        ("empty outputs", len(articles), "articles", "empty", "{}"),
        ("mojibake", len(scores), "outputs", "mojibake", "{}"),
    ]
    for label, count, metric, key, fmt in rows:
        if not count:
            continue  # a batch without Latin-script pages has no such mean
        bold = label.startswith("**")
        a, b = fmt.format(plain[key]), fmt.format(ours[key])
        if bold:
            a, b = f"**{a}**", f"**{b}**"
        lines.append(f"| {label} | {count} | {metric} | {a} | {b} |")
    if plain["titles"]:
        lines.append(
            f"| titles right | {plain['titles']} | share "
            f"| {plain['titles_right'] / plain['titles']:.1%} "
            f"| {ours['titles_right'] / ours['titles']:.1%} |"
        )
    lines.append(
        f"| speed | {len(scores)} | pages/s | {plain['pages_per_s']:.1f} "
        f"| {ours['pages_per_s']:.1f} ({figures['speed_ratio']:.2f}x) |"
    )
    return "\n".join(lines)


def _page_rows(scores: list[Score]) -> str:
    lines = [
        "| page | class | enc | plain | seedcrawler | title plain/ours |",
        "|---|---|---|---:|---:|---|",
    ]
    for s in scores:

        def mark(value: bool | None) -> str:
            return "-" if value is None else ("ok" if value else "NO")

        flags = " (mojibake)" if s.seedcrawler_mojibake else ""
        titles = f"{mark(s.trafilatura_title)}/{mark(s.seedcrawler_title)}"
        lines.append(
            f"| {s.name} | {s.site_class} | {s.encoding} | {s.trafilatura:.3f} "
            f"| {s.seedcrawler:.3f}{flags} | {titles} |"
        )
    return "\n".join(lines)


def _show(page: Page) -> None:
    for name, run in EXTRACTORS.items():
        text, title = run(page)
        value = score_text(page.expected, text, page.language)
        print(f"===== {name}: F1 {value:.3f}, title {title!r}\n{text}\n")
    print(f"===== expected (title {page.title!r})\n{page.expected}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--show", metavar="NAME", help="print one page's texts side by side")
    parser.add_argument("--corpus", default="both",
                        help="real, written, both (default) or a written-corpus directory")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev",
                        help="split of the real corpus (default dev; heldout only when asked)")
    parser.add_argument("--batch", type=int, choices=range(1, 13), nargs="+",
                        help="these batches of the real corpus only (default: all batches)")
    parser.add_argument("--real-dir", type=Path, default=REAL_CORPUS_DIR,
                        help="the built real corpus (default benchmarks/corpus-real/pages)")
    parser.add_argument("--pages", action="store_true", help="one row per real page too")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per page (best kept)")
    args = parser.parse_args(argv)
    # trafilatura reports pages it finds nothing in, the crawler mojibake it refuses: the
    # table says so already. (Restored on return: tests call main() in the test process.)
    quiet = {name: logging.getLogger(name).level for name in ("trafilatura", "crawler")}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        return _main(parser, args)
    finally:
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)


def _main(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    written_dir = CORPUS_DIR if args.corpus in ("both", "written", "real") else Path(args.corpus)
    want_real = args.corpus in ("both", "real")
    want_written = args.corpus != "real"
    real: list[Page] = []
    if want_real:
        try:
            real = load_real_corpus(args.real_dir, args.split, args.batch)
        except FileNotFoundError as exc:
            if args.corpus == "real":
                parser.error(str(exc))
            print(f"(real corpus skipped: {exc})\n", file=sys.stderr)
    written = load_corpus(written_dir) if want_written else []
    if args.show:
        everything = written + real
        page = next((p for p in everything if p.name == args.show), None)
        if page is None:
            parser.error(f"no page named {args.show!r} in this split")
        _show(page)
        return 0
    results = {}
    batch = "" if args.batch is None else (
        f", batch{'es' if len(args.batch) > 1 else ''} {', '.join(map(str, args.batch))}")
    if real:
        results[f"real ({args.split}{batch})"] = evaluate(real, args.repeat)
    if written:
        results["written"] = evaluate(written, args.repeat)
    if args.json:
        print(json.dumps(
            {k: {"summary": summary(v), "pages": [asdict(s) for s in v]}
             for k, v in results.items()},
            ensure_ascii=False, indent=1))
        return 0
    for label, scores in results.items():
        if label.startswith("real"):
            splits = sorted({s.split for s in scores})
            for split in splits:
                part = [s for s in scores if s.split == split]
                print(f"### Real pages, {split} split{batch} ({len(part)} pages)\n")
                print(render_summary(part) + "\n")
                if args.pages:
                    print(_page_rows(part) + "\n")
        else:
            print(f"### Written pages ({len(scores)} pages)\n")
            print(render_summary(scores) + "\n")
            print(render_table(scores) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
