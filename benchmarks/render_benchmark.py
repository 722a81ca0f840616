"""What rendering costs: pages/s and peak memory of plain fetches next to rendered pages.

    python benchmarks/render_benchmark.py --pages 100 --rounds 3

Serves, from 127.0.0.1, ``--pages`` ordinary article pages and as many script-built pages
(an empty ``<div id="app">`` and a script that asks a JSON endpoint for the article), then
runs ``scrapy crawl seeds`` on them, as a user would, in three ways, interleaved, each
``--rounds`` times:

- ``plain``: the ordinary pages, default settings (``RENDER=auto``: no browser starts);
- ``auto``: the script-built pages, default settings (fetched plainly, recognised as
  shells, rendered in Chromium);
- ``always``: the ordinary pages with ``RENDER=always`` (every page in the browser).

For each run: the crawl's own elapsed time (Scrapy's ``elapsed_time_seconds``, start-up
excluded), pages per second, and the peak memory of the crawl's process tree (the crawl,
its extraction workers, Playwright's driver and the browser with its renderers), sampled
every 0.1 s as the sum of each process's PSS (shared pages divided among the processes
sharing them; RSS would count Chromium's shared memory many times). The best run of each
way is reported, and the ratio of pages/s to the plain fetch.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlite_utils

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.demo.site.pages import Page  # noqa: E402
from crawler.demo.site.server import FixtureServer  # noqa: E402

SENTENCES = [
    "Le conseil municipal a voté mardi soir un budget de rénovation des écoles.",
    "Les travaux commenceront au printemps et dureront deux ans selon la mairie.",
    "Les parents d'élèves ont salué une décision attendue depuis longtemps.",
    "L'opposition a voté contre, jugeant le coût trop élevé et le calendrier serré.",
    "Une réunion publique aura lieu le mois prochain dans la salle des fêtes.",
]
APP_JS = b"""
var id = document.getElementById('app').dataset.id;
fetch('/api/' + id + '.json').then(function (r) { return r.json(); }).then(function (d) {
  document.title = d.title;
  document.getElementById('app').innerHTML = '<article><h1>' + d.title + '</h1>' +
    d.paragraphs.map(function (p) { return '<p>' + p + '</p>'; }).join('') + '</article>';
});
"""
SETTINGS = {
    "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "EXTRACT_WORKERS": "2", "RETRY_TIMES": "0",
    "LOG_LEVEL": "WARNING", "PAGE_REQUISITES": "True",
    "RENDER_BROWSER_ARGS": json.dumps(["--host-resolver-rules=MAP * ~NOTFOUND, "
                                       "EXCLUDE 127.0.0.1"]),
}


def build_site(pages: int) -> dict[str, Page]:
    site: dict[str, Page] = {"/app.js": Page("/app.js", APP_JS, "application/javascript")}
    for n in range(pages):
        title = f"Budget des écoles, épisode {n}"
        paragraphs = [f"{s} (n° {n}, {i})" for i, s in enumerate(SENTENCES * 2)]
        article = "".join(f"<p>{p}</p>" for p in paragraphs)
        site[f"/plain/{n}.html"] = Page(f"/plain/{n}.html", (
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><article><h1>{title}</h1>{article}</article></body></html>"
        ).encode(), "text/html; charset=utf-8")
        site[f"/app/{n}.html"] = Page(f"/app/{n}.html", (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>App</title>'
            f'</head><body><div id="app" data-id="{n}"></div>'
            '<script src="/app.js"></script></body></html>').encode(),
            "text/html; charset=utf-8")
        site[f"/api/{n}.json"] = Page(f"/api/{n}.json", json.dumps(
            {"title": title, "paragraphs": paragraphs}).encode(), "application/json")
    return site


def tree_pss(pid: int) -> int:
    """Bytes of PSS of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def run(name: str, urls: list[str], extra: dict[str, str], work: Path) -> dict[str, float]:
    archive = work / name
    shutil.rmtree(archive, ignore_errors=True)
    seeds = work / f"{name}.txt"
    seeds.write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", f"seeds={seeds}",
               "-s", f"ARCHIVE_DIR={archive}"]
    for key, value in {**SETTINGS, **extra}.items():
        command += ["-s", f"{key}={value}"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_pss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{name}: the crawl failed:\n{errors[-3000:]}")
    db = sqlite_utils.Database(archive / "archive.db")
    stats = json.loads(next(db.query("select stats from crawls"))["stats"])
    articles = db["articles"].count
    elapsed = float(stats["elapsed_time_seconds"])
    return {"pages": len(urls), "articles": articles, "seconds": elapsed,
            "pages_per_s": len(urls) / elapsed, "peak_mb": peak[0] / 1024**2,
            "rendered": stats.get("render/pages", 0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the archives")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="render-bench-"))
    server = FixtureServer(site=build_site(args.pages)).start()
    plain = [server.url(f"/plain/{n}.html") for n in range(args.pages)]
    shells = [server.url(f"/app/{n}.html") for n in range(args.pages)]
    ways = {"plain": (plain, {}), "auto": (shells, {}), "always": (plain, {"RENDER": "always"})}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in ways}
    try:
        for round_ in range(args.rounds):
            order = list(ways)[round_ % 3:] + list(ways)[:round_ % 3]
            for name in order:
                urls, extra = ways[name]
                result = run(name, urls, extra, work)
                results[name].append(result)
                print(f"round {round_ + 1} {name:6}: {result['seconds']:6.1f} s, "
                      f"{result['pages_per_s']:6.1f} pages/s, peak {result['peak_mb']:5.0f} MB, "
                      f"{result['articles']} articles, {result['rendered']} rendered",
                      flush=True)
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    best = {name: max(rs, key=lambda r: r["pages_per_s"]) for name, rs in results.items()}
    peaks = {name: max(r["peak_mb"] for r in rs) for name, rs in results.items()}
    base = best["plain"]["pages_per_s"]
    print("\n| run | pages | articles | seconds | pages/s | vs plain | peak memory (MB, PSS) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    labels = {"plain": "ordinary pages, plain fetch (RENDER=auto, no browser)",
              "auto": "script-built pages, rendered (RENDER=auto)",
              "always": "ordinary pages, all rendered (RENDER=always)"}
    for name, result in best.items():
        print(f"| {labels[name]} | {result['pages']:.0f} | {result['articles']:.0f} | "
              f"{result['seconds']:.1f} | {result['pages_per_s']:.1f} | "
              f"{result['pages_per_s'] / base:.2f} | {peaks[name]:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
