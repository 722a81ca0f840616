"""Search speed: the ``search`` canned query and ``?_search=`` over a generated archive.

    python benchmarks/search_benchmark.py --articles 100000          # the README table
    python benchmarks/search_benchmark.py --articles 100000 --db /tmp/bench.db --keep

Generates an archive of N articles (the schema of ``crawler.store.db``, full-text index and
triggers included) whose texts are sentences sampled from ``seeds/fixtures/*.txt``: mostly
one language per article (Simplified or Traditional Chinese, French, English), with
sentences of the other languages mixed in at random, paragraph breaks, and lengths spread
around those of real articles (median about 1,500 characters). The fixtures hold hardly any
English, so a few English sentences on the same subjects are added here.

Then times each query, median of ``--runs`` runs after one warm-up, two ways: through
Datasette's in-process client (``/archive/search.json?q=...``, what a browser gets, JSON
rendering included) and as raw SQL on a read-only sqlite3 connection. Prints a markdown
table and the machine it ran on. An existing ``--db`` with the right number of articles is
reused.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.browse.app import database_name, open_archive  # noqa: E402
from crawler.browse.queries import SEARCH_LIMIT, search_sql, tune_connection  # noqa: E402
from crawler.store.db import ArchiveDB  # noqa: E402
from crawler.store.search_index import folded_columns  # noqa: E402
from crawler.text.fold import fold  # noqa: E402

FIXTURES = REPO / "seeds" / "fixtures"

# (label, query): what the README table reports.
QUERIES = [
    ("3+ characters, Simplified", "监督微调"),
    ("3+ characters, Traditional", "數據標注"),
    ("3+ characters, rare", "水漲船高"),
    ("2 characters, Simplified", "数据"),
    ("2 characters, Traditional", "數據"),
    ("2 characters, Latin", "AI"),
    ("English word", "billions"),
    ("French word", "données"),
    ("two words, any order", "Toloka Bezos"),
    ("3+ and 2 characters", "监督微调 AI"),
]
# The articles table's own search box: count, facets and sort by date included.
TABLE_SEARCHES = [
    ("table `?_search=`, 3+ characters", "监督微调"),
    ("table `?_search=`, 3+ characters, rare", "水漲船高"),
]

ENGLISH = [
    "Jeff Bezos's family office led a 72 million dollar funding round in Toloka, a company "
    "that supplies human data for training AI models.",
    "Meta set to throw billions at startup that lead AI data market.",
    "Data labelling was long seen as low-skilled, repetitive work done by large crowds of "
    "contractors.",
    "Reinforcement learning from human feedback needs experts who can judge the answers a "
    "model gives.",
    "Scale AI hires large numbers of contractors through platforms such as Remotasks and "
    "Outlier.",
    "The company says its network of annotators spans more than a hundred countries and "
    "forty languages.",
    "Investors now value the best-known data labelling firms at tens of billions of dollars.",
    "Supervised fine-tuning relies on carefully written examples rather than raw web text.",
    "Three months ago DeepSeek released a model that rivalled the best American systems.",
    "Analysts expect spending on training data to keep growing as models get larger.",
    "Critics point to the low pay and the psychological toll of moderating disturbing "
    "content.",
    "The startup plans to use the money to hire more specialists in medicine, law and "
    "finance.",
    "A spokesperson declined to comment on the size of the stake.",
    "Amsterdam-based Toloka counts Microsoft, Amazon, Shopify and Anthropic among its "
    "clients.",
    "Meta's new superintelligence lab has been hiring researchers from rival companies.",
    "The deal would be one of the largest investments in an AI supplier this year.",
]

SITES = {
    "zh-Hans": ["微博", "搜狐", "新浪", "网易", "澎湃新闻"],
    "zh-Hant": ["網易", "六爺說科技", "聯合新聞網", "自由時報", "明報"],
    "fr": ["InfoTech Hebdo", "Le Monde", "Les Echos", "Numerama"],
    "en": ["Reuters", "The Verge", "Bloomberg", "TechCrunch"],
}
LANGUAGE_WEIGHTS = {"zh-Hans": 4.0, "zh-Hant": 3.0, "fr": 1.5, "en": 1.5}


def sentence_pools() -> dict[str, list[str]]:
    """Sentences of the fixtures, by language, cleaned of markup and cut at clause ends.

    A Chinese sentence is Traditional when OpenCC's t2s changes it (the store's own folding);
    the Simplified pool is the Simplified sentences and the t2s form of the Traditional ones
    (most fixture text is Traditional: on its own the Simplified pool would be one post).
    """
    pools: dict[str, list[str]] = {lang: [] for lang in LANGUAGE_WEIGHTS}
    for path in sorted(FIXTURES.glob("*.txt")):
        text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        text = re.sub(r"https?://\S+|\*\*URL\*\*:?", " ", text)
        for sentence in re.split(r"(?<=[。！？!?；;])|(?<=\.)\s+|\n+", text):
            sentence = sentence.strip(" #*>|-\t")
            if len(sentence) < 8:
                continue
            cjk = sum("\u4e00" <= c <= "\u9fff" for c in sentence)
            if cjk > len(sentence) * 0.3:
                simplified = fold(sentence)
                if simplified != sentence:
                    pools["zh-Hant"].append(sentence)
                pools["zh-Hans"].append(simplified)
            elif cjk == 0 and re.search(r"[a-zA-Z]{3}", sentence):
                french = re.search(r"[éèêàçù’]|\b(le|la|les|des|une|est|du|et)\b", sentence)
                pools["fr" if french else "en"].append(sentence)
    pools["en"] += ENGLISH
    return pools


def clauses(pools: dict[str, list[str]]) -> dict[str, list[str]]:
    """Sentences cut at commas too: recombined, they make texts that repeat less."""
    return {lang: [c for s in sentences for c in re.split(r"(?<=[，,、])", s) if c.strip()]
            for lang, sentences in pools.items()}


def make_article(rnd: random.Random, i: int, pools: dict[str, list[str]],
                 parts: dict[str, list[str]]) -> tuple:
    languages = list(LANGUAGE_WEIGHTS)
    lang = rnd.choices(languages, weights=list(LANGUAGE_WEIGHTS.values()))[0]
    target = min(20000, max(200, int(rnd.lognormvariate(7.3, 0.75))))
    text: list[str] = []
    size = 0
    while size < target:
        source = lang if rnd.random() > 0.1 else rnd.choice(languages)
        joiner = "" if source.startswith("zh") else " "
        sentence = joiner.join(rnd.choice(parts[source]) for _ in range(rnd.randint(1, 4)))
        text.append(sentence)
        size += len(sentence)
        text.append("\n\n" if rnd.random() < 0.25 else joiner)
    title = rnd.choice(pools[lang])[:80]
    day = f"20{rnd.randint(15, 25)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    fetched = f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}" \
              f":{rnd.randint(0, 59):02d}:00+00:00"
    site = rnd.choice(SITES[lang])
    body = "".join(text).strip()
    # the folded copies the store computes for every article (crawler.store.search_index)
    folded = folded_columns({"title": title, "text": body})
    return (f"https://news{i % 97}.example/{i // 97}/article-{i}.html", title, body,
            folded["title_folded"], folded["text_folded"], lang[:2], site, day, fetched,
            1 + i % 20)


def generate(path: Path, count: int, seed: int = 1) -> float:
    """Write an archive of ``count`` articles at ``path``; the seconds it took."""
    start = time.perf_counter()
    ArchiveDB(path).close()  # the schema, FTS index and triggers of crawler.store.db
    rnd = random.Random(seed)
    pools = sentence_pools()
    parts = clauses(pools)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    sql = ("insert into articles (url, title, text, title_folded, text_folded, language, "
           "sitename, published, fetched_at, crawl_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    batch = 5000
    for first in range(0, count, batch):
        rows = [make_article(rnd, i, pools, parts) for i in range(first, min(count, first + batch))]
        with conn:
            conn.executemany(sql, rows)
        print(f"  {first + len(rows):,} articles", file=sys.stderr, end="\r", flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(file=sys.stderr)
    return time.perf_counter() - start


def article_count(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("select count(*) from articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def time_raw(path: Path, q: str, runs: int) -> tuple[float, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tune_connection(conn)  # as Datasette's connections are
    sql = search_sql()
    rows = conn.execute(sql, {"q": q}).fetchall()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = conn.execute(sql, {"q": q}).fetchall()
        timings.append(time.perf_counter() - start)
    conn.close()
    return median_ms(timings), len(rows)


def matching(path: Path, q: str) -> int:
    """How many articles the search query finds without its limit (not timed)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tune_connection(conn)
    try:
        sql = search_sql().replace(f"limit {SEARCH_LIMIT}\n", "limit -1\n")
        return len(conn.execute(f"select url from ({sql})", {"q": q}).fetchall())
    finally:
        conn.close()


async def time_datasette(path: Path, paths: list[str], runs: int) -> list[tuple[float, int]]:
    ds = open_archive(path)
    await ds.invoke_startup()
    results = []
    for url in paths:
        response = await ds.client.get(url)  # warm-up
        response.raise_for_status()
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            response = await ds.client.get(url)
            timings.append(time.perf_counter() - start)
            response.raise_for_status()
        results.append((median_ms(timings), len(response.json()["rows"])))
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="archive size")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query")
    parser.add_argument("--db", type=Path, help="archive to write (or reuse); default: a "
                                                "temporary file, removed afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the temporary archive")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    args = parser.parse_args(argv)

    tmpdir = None
    if args.db is None:
        tmpdir = Path(tempfile.mkdtemp(prefix="search-benchmark-"))
        path = tmpdir / "archive.db"
    else:
        path = args.db
    try:
        if article_count(path) == args.articles:
            print(f"Reusing {path}", file=sys.stderr)
            generated = None
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            print(f"Generating {args.articles:,} articles in {path}", file=sys.stderr)
            generated = generate(path, args.articles, args.seed)
        report(path, args, generated)
    finally:
        if tmpdir is not None and not args.keep:
            shutil.rmtree(tmpdir)
        elif tmpdir is not None:
            print(f"Kept {path}", file=sys.stderr)
    return 0


def report(path: Path, args: argparse.Namespace, generated: float | None) -> None:
    name = database_name(path)
    urls = [f"/{name}/search.json?q={quote(q)}" for _, q in QUERIES]
    urls += [f"/{name}/articles.json?_search={quote(q)}" for _, q in TABLE_SEARCHES]
    datasette = asyncio.run(time_datasette(path, urls, args.runs))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    chars = conn.execute("select sum(length(text)) from articles").fetchone()[0] or 0
    conn.close()

    print(f"{args.articles:,} articles, {chars / 1e6:.0f} million characters of text, "
          f"database {path.stat().st_size / 1e6:,.0f} MB"
          + (f", generated in {generated:.0f} s" if generated else ""))
    print(f"Machine: {machine()}")
    print(f"Median of {args.runs} runs after a warm-up, in milliseconds.\n")
    print("| query | q | articles found | Datasette (JSON) | raw SQL |")
    print("|---|---|---:|---:|---:|")
    for (label, q), (ds_ms, _) in zip(QUERIES, datasette, strict=False):
        raw_ms, _ = time_raw(path, q, args.runs)
        print(f"| {label} | {q} | {matching(path, q):,} | {ds_ms:,.0f} | {raw_ms:,.0f} |")
    for (label, q), (ds_ms, _) in zip(TABLE_SEARCHES, datasette[len(QUERIES):], strict=True):
        print(f"| {label} | {q} | {matching(path, q):,} | {ds_ms:,.0f} | |")


if __name__ == "__main__":
    raise SystemExit(main())
