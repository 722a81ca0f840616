"""Extraction over any folder of saved pages, side by side with plain trafilatura: what it
refuses, what it drops, how fast.

    python benchmarks/extraction_sweep.py DIR [DIR ...] [--json] [--list]

Pages without expected texts tell no F1, but they tell what a crawl would lose: pages that
raise (a mojibake verdict, a wall, an exception), pages that give nothing where plain
trafilatura gives text, and pages that keep under ``--keep`` of plain trafilatura's words
(often right: menus and comments left out; worth a look when many). Every ``*.html`` and
``*.html.gz`` file counts; the URL given to both extractors is ``https://<file stem>/``.
README ("Extraction quality", "Sweeps") has the folders the project sweeps and their table.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extraction_eval import tokens  # noqa: E402


def _pages(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        found += sorted(p for p in folder.rglob("*") if p.name.endswith((".html", ".html.gz")))
    return found


def _body(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def sweep(paths: list[Path], keep_below: float = 0.85) -> list[dict[str, object]]:
    """One row per page: our text's and plain trafilatura's length, the share of plain's
    words ours keeps, what ours raised, and both times."""
    import trafilatura

    from crawler.extract import extract_article

    rows = []
    if paths:  # imports, the language model and lxml's first parse, outside the timing
        with contextlib.suppress(Exception):
            extract_article(_body(paths[0]), "https://warm.up/", "text/html")
        trafilatura.bare_extraction(_body(paths[0]), include_comments=False)
    for path in paths:
        body = _body(path)
        url = f"https://{path.name.split('.html')[0]}/"
        start = time.perf_counter()
        try:
            ours = (extract_article(body, url, "text/html") or {}).get("text") or ""
            raised = None
        except Exception as exc:  # the sweep reports what a crawl would record
            ours, raised = "", f"{type(exc).__name__}: {str(exc)[:100]}"
        middle = time.perf_counter()
        document = trafilatura.bare_extraction(body, url=url, include_comments=False,
                                               with_metadata=True)
        end = time.perf_counter()
        plain = (document.text if document else "") or ""
        ours_words, plain_words = tokens(ours), tokens(plain)
        kept = sum((ours_words & plain_words).values()) / max(1, sum(plain_words.values()))
        rows.append({"page": str(path), "ours": len(ours), "plain": len(plain),
                     "kept": round(kept, 3), "raised": raised,
                     "low": bool(plain) and kept < keep_below,
                     "seconds": round(middle - start, 4), "plain_seconds": round(end - middle, 4)})
    return rows


def render(rows: list[dict[str, object]], label: str) -> str:
    raised = Counter(str(r["raised"]).split(":")[0] for r in rows if r["raised"])
    empty = sum(1 for r in rows if not r["ours"] and r["plain"] and not r["raised"])
    low = sum(1 for r in rows if r["low"] and r["ours"])
    ours_s = sum(float(r["seconds"]) for r in rows)
    plain_s = sum(float(r["plain_seconds"]) for r in rows)
    return (f"| {label} | {len(rows)} | {sum(raised.values())} "
            f"({', '.join(f'{k} {v}' for k, v in raised.most_common()) or '-'}) | {empty} "
            f"| {low} | {len(rows) / plain_s:.1f} | {len(rows) / ours_s:.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--keep", type=float, default=0.85,
                        help="flag pages keeping less than this share of plain's words")
    parser.add_argument("--json", action="store_true", help="print every row as JSON")
    parser.add_argument("--list", action="store_true", help="list the pages that raised, "
                        "came out empty or kept little")
    args = parser.parse_args(argv)
    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        parser.error(f"not a folder: {', '.join(missing)}")
    print("| pages | n | raised (why) | empty where plain is not | keep < "
          f"{args.keep:.0%} of plain's words | plain pages/s | seedcrawler pages/s |")
    print("|---|---:|---|---:|---:|---:|---:|")
    every = []
    for folder in args.folders:
        rows = sweep(_pages([folder]), args.keep)
        every += rows
        print(render(rows, folder.name), flush=True)
    if args.json:
        print(json.dumps(every, ensure_ascii=False, indent=1))
    if args.list:
        for row in every:
            if row["raised"] or row["low"] or (not row["ours"] and row["plain"]):
                print(f"{row['page']}: kept {row['kept']:.2f} ({row['ours']} of "
                      f"{row['plain']} chars) {row['raised'] or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
