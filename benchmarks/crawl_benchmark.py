"""Live crawl throughput and memory, side by side with bare Scrapy, trafilatura and wget.

    python benchmarks/crawl_benchmark.py                      # issue 10's table (about 25 min)
    python benchmarks/crawl_benchmark.py --pages 1000 --large-pages 0 --repeat 1
    python benchmarks/crawl_benchmark.py --only full --pages 20000 --large-pages 0 --repeat 1
    python benchmarks/crawl_benchmark.py --gzip --latency 50 --json out.json --keep /tmp/b
    python benchmarks/crawl_benchmark.py --only scrapy,full --set CONCURRENT_ITEMS=1

Builds a local news site from the bundled seed texts (``seeds/fixtures/*.txt``): pages of
about 12 KB, four in five Chinese (UTF-8, a quarter of them GBK, declared in the header and
in a ``<meta>``), one in five French (the fixtures hold no English article), every page its
own (title, numbers, lead paragraph, paragraph window, comments, related links), with a
news site's furniture around the article (navigation, breadcrumbs, share bar, related and
most-read lists, a comments block, footer, scripts, JSON-LD). It serves the pages from
another process on 127.0.0.1 (asyncio, HTTP/1.1 keep-alive, precomputed bytes, gzip when
``--gzip`` is given and the client accepts it, ``robots.txt`` allowing everything), on two
ports: one answering at once, one after ``--latency`` ms per response (without blocking
other connections).

Then runs the rows below, interleaved (for each repeat, every row once: load drifts hit
every row alike), the best run of each kept, and prints a markdown table: pages/s (pages
over the wall time of the run, from process start to exit), the ratio to the row it is
compared with, the peak RSS of the run's whole process tree (the main process and every
descendant: forkserver, workers; VmRSS summed, sampled every 50 ms; shared pages count once
per process) and the peak PSS (shared pages split between the processes), CPU seconds of
the tree and of the main process alone per page (the reactor's budget), and what the run
produced (captures, articles, WARC files; archive-only must store no article and start no
other process), so that a broken run cannot pass for a fast one.

Rows (``--only NAME,...``): ``scrapy`` a bare Scrapy spider over the same URLs (the fetch
ceiling, written to a temporary folder and run with ``scrapy runspider``, no project
settings); ``extract`` ``crawler.extract.extract`` over the same bytes in a process pool;
``bare`` plain ``trafilatura.bare_extraction(body, url=url, with_metadata=True)``;
``trafilatura`` plain ``trafilatura.extract(body, url=url)``; ``full`` ``scrapy crawl
seeds`` (WARC + extraction + SQLite); ``archive-only`` the same with ``-s
EXTRACT_ENABLED=False``; ``full-large`` the full pipeline over ``--large-pages`` pages;
``wget`` ``wget --warc-file -i urls.txt`` (sequential) on the slow port; ``full-slow``
and ``archive-only-slow`` the crawler on the slow port. Crawls run with politeness off
(``CONCURRENT_REQUESTS=32``, ``CONCURRENT_REQUESTS_PER_DOMAIN=32``, ``DOWNLOAD_DELAY=0``,
``AUTOTHROTTLE_ENABLED=False``), each into a fresh ``ARCHIVE_DIR``, and fetch the same URLs
as the bare spider and wget: ``PAGE_REQUISITES=False`` (wget without ``-p``; the pages embed
resources from hosts that do not resolve offline). The bare spider runs at Scrapy's
defaults (``CONCURRENT_ITEMS`` included), whatever the project sets.

The benchmark uses only the stable public names of the project: the command ``scrapy crawl
seeds`` and ``crawler.extract.extract``. Linux only (it reads ``/proc``). No dependency
beyond the project's own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gzip
import hashlib
import html
import json
import mmap
import os
import platform
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
FIXTURES = REPO / "seeds" / "fixtures"

PAGE_BYTES = 12 * 1024
POLITENESS_OFF = {
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
}
# The crawler rows fetch the URLs the bare spider and wget fetch, no more: page requisites off
# (as wget without -p). The pages embed images and scripts from hosts that do not resolve
# here; with requisites on, the crawl would spend its time on failed DNS lookups.
SAME_URLS = {"PAGE_REQUISITES": "False"}
SAMPLE_SECONDS = 0.05
PSS_EVERY = 5  # smaps_rollup costs more than status: every 5th sample (250 ms)

# =========================================================================== the site

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TAG_RE = re.compile(r"<[^>]+>")
# Lines of the saved texts that are not article text: the saver's own headings and fields,
# and a line of SEO spam injected into one saved page.
_NOT_TEXT_RE = re.compile(r"^(?:#|\*\*|- \*\*|URL|\d+$)|免费观看|毛片")


@dataclass(frozen=True)
class Source:
    """One saved text, cut into paragraphs."""

    name: str
    language: str  # "zh" or "fr"
    script: str  # "hans", "hant" or "latn"
    paragraphs: tuple[str, ...]
    headings: tuple[str, ...]  # short lines (section headings in the saved page)


def load_sources(folder: Path = FIXTURES) -> list[Source]:
    """The saved page texts of ``seeds/fixtures``, as paragraphs."""
    sources = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        raw = re.sub(r"<br\s*/?>", "\n", raw)
        raw = html.unescape(_TAG_RE.sub("", raw))
        paragraphs, headings = [], []
        for line in raw.splitlines():
            line = re.sub(r"^\s*date \d{4}-\d{2}\s+", "", line).strip()
            if not line or _NOT_TEXT_RE.search(line):
                continue
            if len(line) < 24 and not line.endswith(("。", "：", ":", ".")):
                headings.append(line)
            else:
                paragraphs.append(line)
        cjk = len(_CJK_RE.findall(raw))
        language = "zh" if cjk > len(raw) * 0.2 else "fr"
        # Traditional characters that Simplified text does not use.
        script = ("hant" if re.search("[們這個說與來對點實際數據會為時]", raw) else "hans") \
            if language == "zh" else "latn"
        if paragraphs:
            sources.append(Source(path.stem, language, script, tuple(paragraphs),
                                  tuple(headings)))
    return sources


@dataclass(frozen=True)
class Page:
    path: str
    content_type: str
    body: bytes
    language: str
    charset: str


_ZH_ORGS = ["Toloka", "Scale AI", "Meta", "Nebius", "Turing", "Handshake", "OpenAI",
            "Anthropic", "英伟达", "贝索斯家族基金", "Shopify", "微软", "谷歌", "亚马逊"]
_ZH_TITLES = [
    "{org}再获{amount}亿美元融资，估值升至{value}亿美元",
    "{org}{month}月营收同比增长{pct}%，数据标注需求持续升温",
    "数据标注行业观察：{org}第{n}轮招聘专家，时薪最高{pay}美元",
    "{org}宣布{amount}亿美元投资计划，AI数据服务竞争加剧",
    "AI训练数据市场规模达{value}亿美元，{org}份额升至{pct}%",
    "{org}与{org2}达成合作，{month}月起共建{amount}万人专家网络",
    "专家数据成为新金矿：{org}估值{month}个月内翻{mult}倍",
]
_ZH_LEADS = [
    "（{city}，{year}年{month}月{day}日讯）据本报记者了解，截至{month}月{day}日，{org}"
    "相关业务累计签约{amount}亿美元，较去年同期增长{pct}%，第{n}号项目已进入交付阶段。",
    "【{city}讯】{org}日前披露，公司在{month}月新增专业标注人员{people}名，"
    "其中拥有博士学位者约占{pct}%，本季度预计完成{amount}万条高质量样本。",
    "本报{city}{month}月{day}日电 记者从业内获悉，{org}与{org2}的合作协议编号为"
    "{n}，首期投入{amount}亿元，覆盖{people}个专业领域。",
]
_ZH_CITIES = ["北京", "上海", "深圳", "杭州", "广州", "成都", "香港", "台北"]
_ZH_AUTHORS = ["王海涛", "李明", "张晓燕", "陈思远", "刘洋", "赵敏", "孙立", "周婷婷", "于米"]
_ZH_EDITORS = ["吴磊", "郑爽", "黄佳", "林涛", "何静"]
_ZH_NAV = ["首页", "要闻", "国内", "国际", "财经", "科技", "汽车", "房产", "体育", "娱乐",
           "教育", "健康", "军事", "文化", "视频", "图片", "评论", "专题", "数据"]
_ZH_CHANNELS = [("tech", "科技"), ("finance", "财经"), ("news", "要闻"), ("world", "国际")]
_ZH_COMMENTS = ["说得有道理，数据质量确实是关键。", "这个估值有点夸张了吧？",
                "支持，期待后续报道。", "标注员的待遇什么时候能提高？", "文章写得很清楚，学习了。",
                "又是资本的游戏。", "国内的公司也要加油啊！", "请问原文的数据来源是哪里？",
                "转发了，值得一看。"]
_ZH_HEADINGS = {"hans": ("行业背景", "专家观点", "市场格局", "未来展望", "相关数据"),
                "hant": ("產業背景", "專家觀點", "市場格局", "未來展望", "相關數據")}

_FR_ORGS = ["Toloka", "Scale AI", "Meta", "Nebius", "Bezos Expeditions", "Shopify",
            "Anthropic", "Microsoft", "Amazon", "MLCommons"]
_FR_TITLES = [
    "{org} lève {amount} millions de dollars pour ses données d'IA",
    "Annotation de données : {org} recrute {people} experts en {month_name}",
    "{org} et {org2} s'allient autour de l'IA responsable",
    "Données d'entraînement : le marché atteint {value} milliards, {org} en tête",
    "L'AI Act pousse {org} à renforcer la traçabilité de {pct} % de ses données",
]
_FR_LEADS = [
    "Selon nos informations du {day} {month_name} {year}, {org} a signé {people} nouveaux "
    "contrats pour un montant total de {amount} millions d'euros, en hausse de {pct} % sur "
    "un an (dossier n° {n}).",
    "{org} a annoncé le {day} {month_name} un plan de {amount} millions de dollars et "
    "l'embauche de {people} spécialistes, dont {pct} % de docteurs, selon un communiqué "
    "(référence {n}).",
]
_FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
_FR_AUTHORS = ["Julien Martin", "Claire Dubois", "Sophie Bernard", "Marc Lefèvre",
               "Élodie Moreau", "Thomas Girard"]
_FR_NAV = ["Accueil", "Actualités", "Économie", "Tech", "Intelligence artificielle",
           "Start-up", "Cybersécurité", "Industrie", "Emploi", "Dossiers", "Vidéos",
           "Événements", "Newsletters"]
_FR_COMMENTS = ["Article très intéressant, merci.", "Encore une levée de fonds géante…",
                "Et la protection des données dans tout ça ?", "Bonne analyse du marché.",
                "On attend la réaction de la concurrence européenne.",
                "Quid des annotateurs payés deux dollars de l'heure ?"]

_START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def _numbers(n: int, rng: random.Random, orgs: list[str]) -> dict[str, Any]:
    when = _START + timedelta(minutes=7 * n)
    org = orgs[n % len(orgs)]
    org2 = orgs[(n // len(orgs) + 1 + n) % len(orgs)]
    if org2 == org:
        org2 = orgs[(n + 3) % len(orgs)]
    return {
        "n": n, "org": org, "org2": org2, "year": when.year, "month": when.month,
        "day": when.day, "month_name": _FR_MONTHS[when.month - 1],
        "amount": rng.randint(2, 900), "value": rng.randint(10, 3000),
        "pct": rng.randint(3, 97), "pay": rng.randint(20, 150), "mult": rng.randint(2, 5),
        "people": rng.randint(12, 9000), "city": _ZH_CITIES[n % len(_ZH_CITIES)],
        "when": when,
    }


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraph_window(source: Source, start: int, then: Sequence[Source]) -> Iterator[str]:
    """The source's paragraphs once each, from ``start`` round to it, then those of
    ``then`` (a short text is continued by another, as a "related coverage" part)."""
    paragraphs = source.paragraphs
    for i in range(len(paragraphs)):
        yield paragraphs[(start + i) % len(paragraphs)]
    for other in then:
        if other is not source:
            yield from other.paragraphs


def _chinese_page(n: int, source: Source, fallback: Sequence[Source], charset: str,
                  others: list[tuple[str, str]], rng: random.Random) -> tuple[str, str]:
    v = _numbers(n, rng, _ZH_ORGS)
    when: datetime = v["when"]
    channel, channel_name = _ZH_CHANNELS[n % len(_ZH_CHANNELS)]
    title = _ZH_TITLES[n % len(_ZH_TITLES)].format(**v)
    lead = _ZH_LEADS[n % len(_ZH_LEADS)].format(**v)
    author = _ZH_AUTHORS[n % len(_ZH_AUTHORS)]
    editor = _ZH_EDITORS[n % len(_ZH_EDITORS)]
    site, domain = (("数智新闻网", "www.shuzhi-news.cn") if n % 2
                    else ("东方科技报", "tech.dfkj.com.cn"))
    lang = "zh-TW" if source.script == "hant" else "zh-CN"
    stamp = when.strftime("%Y-%m-%d %H:%M")
    path = f"/{channel}/{when:%Y%m%d}/{n:07d}.html"
    description = lead[:80]
    head = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{'<meta http-equiv="Content-Type" content="text/html; charset=gbk">' if charset == "gbk"
 else '<meta charset="utf-8">'}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}_{channel_name}_{site}</title>
<meta name="keywords" content="{_e(v["org"])},数据标注,人工智能,{channel_name}">
<meta name="description" content="{_e(description)}">
<meta name="author" content="{author}">
<meta property="og:type" content="article">
<meta property="og:title" content="{_e(title)}">
<meta property="og:description" content="{_e(description)}">
<meta property="og:image" content="https://img.{domain}/{when:%Y/%m%d}/{n:07d}_cover.jpg">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{when.isoformat()}">
<link rel="canonical" href="https://{domain}{path}">
<link rel="stylesheet" href="//static.{domain}/css/article.3f9a2c.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",\
"headline":{json.dumps(title, ensure_ascii=False)},"datePublished":"{when.isoformat()}",\
"author":{{"@type":"Person","name":"{author}"}},"publisher":{{"@type":"Organization",\
"name":"{site}"}},"mainEntityOfPage":"https://{domain}{path}"}}</script>
<script>var _hmt=_hmt||[];(function(){{var hm=document.createElement("script");\
hm.src="https://hm.baidu.com/hm.js?{hashlib.md5(domain.encode()).hexdigest()}";\
var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);}})();\
</script>
</head>
<body class="article-page">
<div class="top-bar"><div class="wrap"><a href="/">{site}首页</a> | <a href="/app">客户端下载</a>
 | <a href="/login">登录</a> | <a href="/register">注册</a></div></div>
<header class="site-header"><div class="wrap"><a class="logo" href="/"><img src="//static.\
{domain}/img/logo.png" alt="{site}"></a>
<nav class="main-nav"><ul>{"".join(f'<li><a href="/{i}/">{name}</a></li>'
                                  for i, name in enumerate(_ZH_NAV))}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="搜索新闻">
<button>搜索</button></form>
</div></header>
<div class="wrap main">
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/{channel}/">{channel_name}</a>
 &gt; 正文</div>
<div class="content-left">
<div class="article-header"><h1 class="article-title">{_e(title)}</h1>
<div class="article-info"><span class="time">{stamp}</span>
 <span class="source">来源：{site}</span> <span class="author">作者：{author}</span>
 <a href="#comments" class="cmt-count">评论({rng.randint(0, 900)})</a></div></div>
<div class="share-bar"><span>分享到：</span><a class="wx" href="#">微信</a>
<a class="wb" href="#">微博</a><a class="qq" href="#">QQ空间</a></div>
<div class="article-content" id="article-content">
"""
    related = "".join(
        f'<li><a href="{path_of}">{_e(t)}</a>'
        f'<span>{(when - timedelta(hours=i + 1)):%m-%d}</span></li>'
        for i, (path_of, t) in enumerate(others[:8]))
    hot = "".join(f'<li><em>{i + 1}</em><a href="{p}">{_e(t)}</a></li>'
                  for i, (p, t) in enumerate(others[8:18]))
    comments = "".join(
        f'<li class="comment-item"><div class="user"><img src="//static.{domain}/avatar/'
        f'{(n * 31 + i) % 997}.png" alt="">'
        f'<span class="name">网友{(n * 7919 + i * 104729) % 10**8:08d}</span>'
        f'<span class="loc">{_ZH_CITIES[(n + i) % len(_ZH_CITIES)]}</span></div>'
        f'<p class="cmt-text">{_ZH_COMMENTS[(n + i) % len(_ZH_COMMENTS)]}</p>'
        f'<div class="cmt-meta"><time>{(when + timedelta(minutes=13 * i + 5)):%m-%d %H:%M}</time>'
        f' <a class="like" href="#">赞({rng.randint(0, 500)})</a> <a href="#">回复</a></div></li>'
        for i in range(5))
    tail = f"""<p class="editor">责任编辑：{editor}</p>
</div>
<div class="article-tags">标签：<a href="/tag/ai">人工智能</a> <a href="/tag/data">数据标注</a>
 <a href="/tag/{n % 50}">{_e(v["org"])}</a></div>
<div class="related"><h3>相关阅读</h3><ul>{related}</ul></div>
<div class="comments" id="comments"><h3>网友评论</h3><div class="cmt-box">
<textarea placeholder="文明上网，理性发言"></textarea><button>发表评论</button></div>
<ul class="comment-list">{comments}</ul>
<a class="more" href="/comments/{n}">查看全部评论</a></div>
</div>
<div class="content-right"><div class="hot-list"><h3>热门排行</h3><ol>{hot}</ol></div>
<div class="ad" id="ad-{n % 9}"><a href="/ad/{n % 9}"><img src="//static.{domain}/ad/{n % 9}.jpg" \
alt="广告"></a></div></div>
</div>
<footer class="site-footer"><div class="wrap"><p><a href="/about">关于我们</a>
 | <a href="/contact">联系我们</a> | <a href="/ads">广告服务</a> | <a href="/jobs">招聘信息</a>
 | <a href="/law">法律声明</a> | <a href="/map">网站地图</a></p>
<p>Copyright © 2003-{when.year} {site} 版权所有 未经授权禁止转载</p>
<p>京ICP备{10000000 + n % 999:08d}号-1 京公网安备 110105{n % 10**8:08d}号 互联网新闻信息服务许可证\
11120170{n % 10:02d}</p></div></footer>
<script src="//static.{domain}/js/jquery.min.js"></script>
<script src="//static.{domain}/js/article.8c1e0b.js" defer></script>
<script>window.__ARTICLE__={{"id":{n},"channel":"{channel}","pubTime":"{stamp}",\
"commentCount":{rng.randint(0, 900)}}};</script>
</body>
</html>
"""
    headings = [h for h in source.headings if 4 <= len(h) <= 20 and not re.search("[:：>|]", h)]
    headings += _ZH_HEADINGS[source.script]
    figure = (f'<figure class="img-wrap"><img src="https://img.{domain}/{when:%Y/%m%d}/'
              f'{n:07d}_1.jpg" alt="{_e(title)}"><figcaption>图为{_e(v["org"])}相关资料图。'
              f'（图片来源：{site}）</figcaption></figure>\n')
    return path, _fill(head, tail, f"<p>{_e(lead)}</p>\n", _paragraph_window(
        source, n * 3, fallback), headings, n, figure, charset)


def _french_page(n: int, source: Source, others: list[tuple[str, str]],
                 rng: random.Random) -> tuple[str, str]:
    v = _numbers(n, rng, _FR_ORGS)
    when: datetime = v["when"]
    title = _FR_TITLES[n % len(_FR_TITLES)].format(**v)
    lead = _FR_LEADS[n % len(_FR_LEADS)].format(**v)
    author = _FR_AUTHORS[n % len(_FR_AUTHORS)]
    ascii_title = unicodedata.normalize("NFKD", title.lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    path = f"/article/{slug}.N{2_230_000 + n}.html"
    domain = "www.lusine-numerique.fr"
    stamp = f"{when.day} {v['month_name']} {when.year} à {when:%Hh%M}"
    head = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} - L'Usine Numérique</title>
<meta name="description" content="{_e(lead[:150])}">
<meta name="author" content="{author}">
<meta property="og:type" content="article">
<meta property="og:title" content="{_e(title)}">
<meta property="og:image" content="https://img.{domain}/{n}/cover.jpg">
<meta property="article:published_time" content="{when.isoformat()}">
<meta property="article:section" content="Intelligence artificielle">
<link rel="canonical" href="https://{domain}{path}">
<link rel="stylesheet" href="/assets/app.51c0e7.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",\
"headline":{json.dumps(title, ensure_ascii=False)},"datePublished":"{when.isoformat()}",\
"author":{{"@type":"Person","name":"{author}"}},"publisher":{{"@type":"Organization",\
"name":"L'Usine Numérique"}}}}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}\
gtag('js',new Date());gtag('config','G-{n % 9999:04d}XK');</script>
</head>
<body>
<div class="bandeau-rgpd" id="cookie-banner"><p>Nous utilisons des cookies pour mesurer \
l'audience et personnaliser les contenus.</p><button>Tout accepter</button><button>Refuser</button>\
<a href="/cookies">Paramétrer</a></div>
<header class="header"><a class="logo" href="/">L'Usine Numérique</a>
<nav><ul>{"".join(f'<li><a href="/{i}/">{_e(name)}</a></li>' for i, name in enumerate(_FR_NAV))}
</ul></nav><a class="abo" href="/abonnement">S'abonner</a>
<a href="/connexion">Se connecter</a></header>
<main>
<ol class="breadcrumb"><li><a href="/">Accueil</a></li><li><a href="/tech/">Tech</a></li>
<li><a href="/ia/">Intelligence artificielle</a></li></ol>
<article class="article">
<h1>{_e(title)}</h1>
<p class="chapo">{_e(lead)}</p>
<div class="meta">Publié le <time datetime="{when.isoformat()}">{stamp}</time> par \
<a rel="author" href="/auteur/{n % 6}">{author}</a></div>
<div class="share"><a href="#">Partager sur LinkedIn</a> <a href="#">X</a>
<a href="#">Email</a></div>
<div class="article-body">
"""
    related = "".join(f'<li><a href="{p}">{_e(t)}</a></li>' for p, t in others[:8])
    comments = "".join(
        f'<li class="comment"><strong>Lecteur{(n * 7919 + i) % 10**6}</strong> '
        f'<time>{(when + timedelta(minutes=17 * i + 3)):%d/%m/%Y %H:%M}</time>'
        f'<p>{_e(_FR_COMMENTS[(n + i) % len(_FR_COMMENTS)])}</p>'
        f'<a class="reply" href="#">Répondre</a> <span class="votes">{rng.randint(0, 90)}'
        f' votes</span></li>' for i in range(6))
    most_read = "".join(f'<li><span>{i + 1}</span><a href="{p}">{_e(t)}</a></li>'
                        for i, (p, t) in enumerate(others[8:18]))
    key_figures = (
        f'<aside class="key-figures"><h3>Chiffres clés</h3><ul>'
        f'<li><strong>{v["amount"]} M$</strong> levés par {_e(v["org"])}</li>'
        f'<li><strong>{v["people"]:,}</strong> annotateurs experts</li>'
        f'<li><strong>{v["pct"]} %</strong> de croissance sur un an</li></ul></aside>\n')
    tail = f"""</div>
<div class="tags">Sur le même sujet : <a href="/tag/ia">IA</a> <a href="/tag/donnees">Données</a>
 <a href="/tag/{n % 40}">{_e(v["org"])}</a></div>
</article>
<aside class="read-also"><h2>À lire aussi</h2><ul>{related}</ul></aside>
<aside class="most-read"><h2>Les plus lus</h2><ol>{most_read}</ol></aside>
<section class="comments" id="comments"><h2>Commentaires ({rng.randint(0, 80)})</h2>
<ul>{comments}</ul><form><textarea></textarea><button>Réagir</button></form></section>
<aside class="newsletter"><h2>Newsletter Tech</h2><p>Chaque matin, l'essentiel de l'actualité.</p>
<form><input type="email"><button>Je m'inscris</button></form></aside>
</main>
<footer><ul><li><a href="/mentions-legales">Mentions légales</a></li><li><a href="/cgu">CGU</a></li>
<li><a href="/cookies">Politique de cookies</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/pub">Publicité</a></li></ul>
<p>© {when.year} L'Usine Numérique. Tous droits réservés.</p>
</footer>
<script src="/assets/app.51c0e7.js" defer></script>
<script>window.__ARTICLE_ID__={n};</script>
</body>
</html>
"""
    headings = ("Un marché en pleine croissance", "Des experts mieux payés",
                "La question de la gouvernance", "Ce qu'il faut retenir")
    figure = (f'<figure><img src="https://img.{domain}/{n}/1.jpg" alt=""><figcaption>'
              f'{_e(v["org"])} (photo d\'illustration).</figcaption></figure>\n' + key_figures)
    return path, _fill(head, tail, "", _paragraph_window(source, n, ()), headings, n, figure,
                       "utf-8")


def _fill(head: str, tail: str, lead: str, paragraphs: Iterator[str], headings: Sequence[str],
          n: int, figure: str, charset: str) -> str:
    """The page, with article paragraphs added until it reaches about PAGE_BYTES."""
    def size(text: str) -> int:
        return len(text.encode(charset, errors="xmlcharrefreplace"))

    budget = PAGE_BYTES - size(head) - size(tail) - size(lead)
    parts, used = [lead], 0
    for i, paragraph in enumerate(paragraphs):
        if used >= budget and i >= 2:
            break
        block = f"<p>{_e(paragraph)}</p>\n"
        if i == 1:
            block += figure
        if i and i % 4 == 0:
            block = f"<h2>{_e(headings[(n + i) % len(headings)])}</h2>\n" + block
        parts.append(block)
        used += size(block)
    return head + "".join(parts) + tail


def build_site(count: int, seed: int = 10) -> list[Page]:
    """``count`` article pages, every one different (four in five Chinese, one in five
    French; a quarter of the Chinese pages in GBK)."""
    sources = load_sources()
    chinese = [s for s in sources if s.language == "zh"]
    french = [s for s in sources if s.language == "fr"]
    if not chinese or not french:
        raise SystemExit(f"{FIXTURES}: expected Chinese and French texts")
    rng = random.Random(seed)
    # Paths and titles first: every page links to others.
    plan, zh_count = [], 0
    for n in range(count):
        if n % 5 == 4:
            plan.append(("fr", french[(n // 5) % len(french)], "utf-8"))
        else:
            source = chinese[(n // 5 + n) % len(chinese)]
            plan.append(("zh", source, "gbk" if zh_count % 4 == 3 else "utf-8"))
            zh_count += 1
    link_titles = [(f"/news/{m:07d}.html",
                    _ZH_TITLES[m % len(_ZH_TITLES)].format(**_numbers(m, random.Random(m),
                                                                      _ZH_ORGS)))
                   for m in range(64)]
    fr_links = [(f"/article/{m}.html",
                 _FR_TITLES[m % len(_FR_TITLES)].format(**_numbers(m, random.Random(m),
                                                                   _FR_ORGS)))
                for m in range(64)]
    pages = []
    seen: set[bytes] = set()
    for n, (language, source, charset) in enumerate(plan):
        if language == "zh":
            others = [link_titles[(n * 5 + k) % 64] for k in range(18)]
            path, text = _chinese_page(n, source, chinese, charset, others, rng)
            content_type = f"text/html; charset={'GBK' if charset == 'gbk' else 'utf-8'}"
        else:
            others = [fr_links[(n * 3 + k) % 64] for k in range(18)]
            path, text = _french_page(n, source, others, rng)
            content_type = "text/html; charset=utf-8"
        body = text.encode(charset, errors="xmlcharrefreplace")
        digest = hashlib.sha1(body).digest()
        if digest in seen:
            raise AssertionError(f"page {n} repeats another page")
        seen.add(digest)
        pages.append(Page(path, content_type, body, language, charset))
    return pages


def write_site(pages: list[Page], folder: Path) -> None:
    """The pages as one file of bodies and an index (the server and the extraction rows
    read them from there)."""
    folder.mkdir(parents=True, exist_ok=True)
    index, offset = [], 0
    with open(folder / "pages.bin", "wb") as fh:
        for page in pages:
            fh.write(page.body)
            index.append({"path": page.path, "content_type": page.content_type,
                          "offset": offset, "length": len(page.body),
                          "language": page.language, "charset": page.charset})
            offset += len(page.body)
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")


def read_index(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "index.json").read_text(encoding="utf-8"))


# =========================================================================== the server

ROBOTS_TXT = b"User-agent: *\nAllow: /\n"
_REASONS = {200: b"OK", 404: b"Not Found", 400: b"Bad Request"}


class _Site:
    def __init__(self, folder: Path, gzip_enabled: bool) -> None:
        data = (folder / "pages.bin").read_bytes()
        modified = format_datetime(_START, usegmt=True)
        self.date = format_datetime(datetime.now(UTC), usegmt=True).encode()
        self.pages: dict[bytes, tuple[bytes, bytes, bytes | None]] = {}
        entries = read_index(folder)
        entries.append({"path": "/robots.txt", "content_type": "text/plain", "body": ROBOTS_TXT})
        for entry in entries:
            body = entry.get("body") or data[entry["offset"]:entry["offset"] + entry["length"]]
            etag = hashlib.md5(body).hexdigest()[:16]
            head = (f"Content-Type: {entry['content_type']}\r\nLast-Modified: {modified}\r\n"
                    f'ETag: "{etag}"\r\nCache-Control: max-age=60\r\nVary: Accept-Encoding\r\n')
            zipped = gzip.compress(body, compresslevel=6, mtime=0) if gzip_enabled else None
            self.pages[entry["path"].encode()] = (head.encode(), body, zipped)

    def response(self, method: bytes, target: bytes, accept_gzip: bool, close: bool) -> bytes:
        path = target.split(b"?", 1)[0]
        found = self.pages.get(path)
        status = 200 if found else 404
        if found:
            head, body, zipped = found
            if zipped is not None and accept_gzip:
                head, body = head + b"Content-Encoding: gzip\r\n", zipped
        else:
            head, body = b"Content-Type: text/html; charset=utf-8\r\n", b"<h1>Not Found</h1>"
        lines = (b"HTTP/1.1 %d %s\r\nServer: bench\r\nDate: %s\r\n%sContent-Length: %d\r\n"
                 b"Connection: %s\r\n\r\n" % (status, _REASONS[status], self.date, head,
                                               len(body), b"close" if close else b"keep-alive"))
        return lines if method == b"HEAD" else lines + body


async def _handle(site: _Site, latency: float, reader: asyncio.StreamReader,
                  writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            lines = head.split(b"\r\n")
            try:
                method, target, version = lines[0].split(b" ", 2)
            except ValueError:
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip().lower()
            length = int(headers.get(b"content-length", b"0") or 0)
            if length:
                await reader.readexactly(length)
            connection = headers.get(b"connection", b"")
            close = b"close" in connection or (version == b"HTTP/1.0"
                                               and b"keep-alive" not in connection)
            accept_gzip = b"gzip" in headers.get(b"accept-encoding", b"")
            if latency:
                await asyncio.sleep(latency)
            writer.write(site.response(method, target, accept_gzip, close))
            await writer.drain()
            if close:
                return
    except (ConnectionError, OSError):
        return
    finally:
        writer.close()


async def _serve(folder: Path, latencies: list[float], gzip_enabled: bool) -> None:
    site = _Site(folder, gzip_enabled)
    servers, ports = [], {}
    for latency in latencies:
        server = await asyncio.start_server(
            lambda r, w, latency=latency: _handle(site, latency, r, w), "127.0.0.1", 0,
            backlog=512)
        servers.append(server)
        ports[str(latency)] = server.sockets[0].getsockname()[1]
    print(json.dumps({"ports": ports}), flush=True)
    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    await stop
    for server in servers:
        server.close()


def serve_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="crawl_benchmark.py _serve")
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--latency", type=float, action="append", default=[],
                        help="seconds; one port per value")
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.site, args.latency or [0.0], args.gzip))
    return 0


class SiteServer:
    """The site served from a separate process; ``ports[latency_ms]``."""

    def __init__(self, folder: Path, latencies_ms: list[float], gzip_enabled: bool) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "_serve", "--site", str(folder)]
        for ms in latencies_ms:
            cmd += ["--latency", str(ms / 1000)]
        if gzip_enabled:
            cmd.append("--gzip")
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the site server did not start")
        by_seconds = json.loads(line)["ports"]
        self.ports = {ms: by_seconds[str(ms / 1000)] for ms in latencies_ms}
        self.cpu_start = _cpu_seconds(self.process.pid)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.process.pid) - self.cpu_start

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# =========================================================================== process tree

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(root: int, exclude: frozenset[int] = frozenset()) -> list[int]:
    """Every process below ``root`` (not ``root`` itself), except ``exclude`` subtrees."""
    found, todo = [], [root]
    while todo:
        for child in _children(todo.pop()):
            if child not in exclude:
                found.append(child)
                todo.append(child)
    return found


def _is_python(pid: int) -> bool:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")).startswith("python")
    except OSError:
        return False


def _status_kb(pid: int, field_name: bytes, filename: str = "status") -> int:
    try:
        with open(f"/proc/{pid}/{filename}", "rb") as fh:
            for line in fh:
                if line.startswith(field_name):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the memory of this process's descendants (the run being measured: one at a
    time) every ``SAMPLE_SECONDS``: peak of the summed VmRSS, and of the summed PSS."""

    def __init__(self, exclude: frozenset[int]) -> None:
        super().__init__(daemon=True, name="tree-sampler")
        self.exclude = exclude
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        # Python processes only: Scrapy's start runs `uname -p` (platform.platform() for its
        # version line), a few milliseconds a sample may catch; a worker is Python
        self.peak_python_processes = 0
        self.samples = 0
        # CPU seconds of every process seen, at its last sample (a process's last 50 ms
        # before it exits are missed)
        self.cpu_by_pid: dict[int, float] = {}
        self.root: int | None = None  # the process started: its CPU is the main process's
        self._stop_event = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_event.is_set():
            pids = descendants(me, self.exclude)
            for pid in pids:
                cpu = _cpu_seconds(pid)
                if cpu:
                    self.cpu_by_pid[pid] = cpu
            rss = sum(_status_kb(pid, b"VmRSS:") for pid in pids)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.peak_python_processes = max(self.peak_python_processes,
                                             sum(map(_is_python, pids)))
            if self.samples % PSS_EVERY == 0:
                pss = sum(_status_kb(pid, b"Pss:", "smaps_rollup") for pid in pids)
                self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.samples += 1
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _become_subreaper() -> None:
    # Orphans of a run (a forkserver outliving its parent) are re-parented to this process:
    # they stay in the measured tree and are waited for before the next run starts.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


@dataclass
class Measured:
    """One process run: wall time from start to exit, peak memory of its tree, CPU time."""

    returncode: int
    wall_seconds: float
    peak_rss_mb: float
    peak_pss_mb: float
    peak_processes: int
    cpu_seconds: float
    log: Path
    # the started process alone, without its descendants (forkserver, workers), from
    # /proc samples every 50 ms: it misses the last moments before exit
    main_cpu_seconds: float = 0.0
    peak_python_processes: int = 0


def measure(cmd: list[str], cwd: Path, log: Path, exclude: frozenset[int],
            env: dict[str, str] | None = None, timeout: float = 7200) -> Measured:
    """Run ``cmd`` to its end (and its descendants to theirs), sampling its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = TreeSampler(exclude)
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   env=env, stdin=subprocess.DEVNULL)
        sampler.root = process.pid
        sampler.start()
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
        wall = time.perf_counter() - started
        _reap_orphans(exclude | {process.pid})
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(returncode, wall, sampler.peak_rss_kb / 1024, sampler.peak_pss_kb / 1024,
                    sampler.peak_processes, cpu, log,
                    main_cpu_seconds=sampler.cpu_by_pid.get(process.pid, 0.0),
                    peak_python_processes=sampler.peak_python_processes)


def _reap_orphans(exclude: frozenset[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        orphans = [pid for pid in _children(os.getpid()) if pid not in exclude]
        if not orphans:
            return
        for pid in orphans:
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


# =========================================================================== extraction rows


def work_crawler_extract(body: bytes, url: str, content_type: str) -> int:
    """``crawler.extract.extract``; the article's text length (0: no article). The dict
    is built as the crawler builds it; only its size crosses back, as for the other rows."""
    from crawler.extract import extract

    result = extract(body, url, content_type)
    return len(result["text"]) if result else 0


def work_bare_extraction(body: bytes, url: str, content_type: str) -> int:
    """Plain ``trafilatura.bare_extraction(body, url=url, with_metadata=True)``."""
    import trafilatura

    document = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    return len(document.text or "") if document is not None else 0


def work_trafilatura_extract(body: bytes, url: str, content_type: str) -> int:
    """Plain ``trafilatura.extract(body, url=url)``."""
    import trafilatura

    text = trafilatura.extract(body, url=url)
    return len(text or "")


_WORK = {
    "extract": (work_crawler_extract, "crawler.extract"),
    "bare": (work_bare_extraction, "trafilatura"),
    "trafilatura": (work_trafilatura_extract, "trafilatura"),
}


def extract_main(argv: list[str]) -> int:
    """Child process of an extraction row: the pages through a process pool (forkserver,
    the module preloaded, as the crawler starts its pool), a few tasks in flight at a time
    so that only those bodies are held here. Prints a JSON line."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    parser = argparse.ArgumentParser(prog="crawl_benchmark.py _extract")
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--work", choices=sorted(_WORK), required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args(argv)
    # By reference from an importable module (PYTHONPATH holds benchmarks/), not __main__.
    import crawl_benchmark

    fn = getattr(crawl_benchmark, _WORK[args.work][0].__name__)
    entries = read_index(args.site)[:args.pages]
    started = time.perf_counter()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["crawl_benchmark", _WORK[args.work][1]])
    extracted = chars = 0
    with open(args.site / "pages.bin", "rb") as fh, \
            mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data, \
            ProcessPoolExecutor(args.workers, mp_context=context) as pool:
        pending: set[Any] = set()
        todo = iter(entries)
        window = 4 * args.workers
        while True:
            for entry in todo:
                body = data[entry["offset"]:entry["offset"] + entry["length"]]
                pending.add(pool.submit(fn, body, args.base_url + entry["path"],
                                        entry["content_type"]))
                if len(pending) >= window:
                    break
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                size = future.result()
                extracted += size > 0
                chars += size
    seconds = time.perf_counter() - started
    print(json.dumps({"pages": len(entries), "extracted": extracted, "chars": chars,
                      "seconds": seconds}))
    return 0


# =========================================================================== rows

BARE_SPIDER = '''\
"""The fetch ceiling: the same URLs, no pipelines, nothing done with the bodies."""
import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file=None, **kwargs):
        super().__init__(**kwargs)
        self.urls_file = urls_file

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield scrapy.Request(line.strip(), dont_filter=True)

    def parse(self, response):
        self.crawler.stats.inc_value("bench/body_bytes", len(response.body))
'''


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    kind: str  # scrapy | extract | seeds | wget
    slow: bool = False  # on the port with latency
    large: bool = False  # over --large-pages
    settings: tuple[tuple[str, str], ...] = ()
    work: str = ""
    reference: str = ""  # row this one's ratio is to


def make_rows(pages: int, large_pages: int, latency_ms: float, workers: int) -> list[Row]:
    lat = f"{latency_ms:g} ms"
    archive_only = (("EXTRACT_ENABLED", "False"),)
    return [
        Row("scrapy", "a bare Scrapy spider fetching the same URLs", "scrapy"),
        Row("extract", f"`crawler.extract.extract` alone over the same bytes, {workers} "
            "processes", "extract", work="extract", reference="bare"),
        Row("bare", "plain `trafilatura.bare_extraction(..., with_metadata=True)` alone, "
            f"{workers} processes", "extract", work="bare"),
        Row("trafilatura", f"plain `trafilatura.extract` alone, {workers} processes",
            "extract", work="trafilatura", reference="bare"),
        Row("full", "`scrapy crawl seeds` (WARC + extraction + SQLite)", "seeds",
            reference="extract"),
        Row("archive-only", "`scrapy crawl seeds -s EXTRACT_ENABLED=False` (archive-only)",
            "seeds", settings=archive_only, reference="scrapy"),
        Row("full-large", f"`scrapy crawl seeds`, {large_pages:,} pages", "seeds", large=True,
            reference="full"),
        Row("wget", f"`wget --warc-file -i urls` on the same site with {lat} latency per "
            "response (sequential)", "wget", slow=True),
        Row("full-slow", f"`scrapy crawl seeds` on that {lat} site", "seeds", slow=True,
            reference="wget"),
        Row("archive-only-slow", f"`scrapy crawl seeds -s EXTRACT_ENABLED=False` on that {lat}"
            " site", "seeds", slow=True, settings=archive_only, reference="wget"),
    ]


@dataclass
class Result:
    row: str
    run: int
    pages: int
    ok: bool
    problems: list[str]
    measured: Measured
    own_seconds: float | None = None  # the crawl's or the pool's own time, if known
    counts: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.measured.wall_seconds if self.measured.wall_seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["measured"]["log"] = str(self.measured.log)
        data["pages_per_second"] = self.rate
        return data


@dataclass
class Bench:
    args: argparse.Namespace
    workdir: Path
    site_dir: Path
    server: SiteServer
    entries: list[dict[str, Any]]

    def base_url(self, slow: bool) -> str:
        port = self.server.ports[self.args.latency if slow else 0.0]
        return f"http://127.0.0.1:{port}"

    def urls_file(self, count: int, slow: bool) -> Path:
        path = self.workdir / f"urls-{count}-{'slow' if slow else 'fast'}.txt"
        if not path.exists():
            base = self.base_url(slow)
            path.write_text("".join(f"{base}{e['path']}\n" for e in self.entries[:count]),
                            encoding="utf-8")
        return path

    def settings(self, extra: Sequence[tuple[str, str]] = ()) -> list[str]:
        values = {**POLITENESS_OFF, "LOG_LEVEL": self.args.log_level, **dict(extra),
                  **dict(item.split("=", 1) for item in self.args.set)}
        return [arg for name, value in values.items() for arg in ("-s", f"{name}={value}")]

    def run(self, row: Row, run: int) -> Result:
        count = self.args.large_pages if row.large else self.args.pages
        rundir = self.workdir / f"{row.name}-{run}"
        rundir.mkdir()
        exclude = frozenset({self.server.pid})
        env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        if row.kind == "scrapy":
            spider = rundir / "bare_spider.py"
            spider.write_text(BARE_SPIDER, encoding="utf-8")
            cmd = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a",
                   f"urls_file={self.urls_file(count, row.slow)}",
                   *self.settings([("ROBOTSTXT_OBEY", "True"),
                                   ("TELNETCONSOLE_ENABLED", "False"),
                                   ("REMOTE_CONTROL_ENABLED", "False")])]
            # In its own folder: no scrapy.cfg there, so no project settings.
            measured = measure(cmd, rundir, rundir / "log.txt", exclude, env)
            return _check_scrapy(row, run, count, measured)
        if row.kind == "extract":
            cmd = [sys.executable, str(Path(__file__).resolve()), "_extract", "--site",
                   str(self.site_dir), "--pages", str(count), "--work", row.work,
                   "--workers", str(self.args.workers), "--base-url", self.base_url(False)]
            env["PYTHONPATH"] = os.pathsep.join(
                [str(BENCH_DIR), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
            measured = measure(cmd, rundir, rundir / "log.txt", exclude, env)
            return _check_extract(row, run, count, measured)
        if row.kind == "seeds":
            archive_dir = rundir / "archive"
            cmd = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a",
                   f"seeds={self.urls_file(count, row.slow)}", "-s", f"ARCHIVE_DIR={archive_dir}",
                   "-s", f"EXTRACT_WORKERS={self.args.workers}",
                   *self.settings([*SAME_URLS.items(), *row.settings])]
            measured = measure(cmd, REPO, rundir / "log.txt", exclude, env)
            result = _check_seeds(row, run, count, measured, archive_dir)
            if not self.args.keep:
                shutil.rmtree(archive_dir, ignore_errors=True)
            return result
        if row.kind == "wget":
            warc = rundir / "wget"
            cmd = [self.args.wget, f"--warc-file={warc}", "--no-verbose", "-O", "/dev/null",
                   "-i", str(self.urls_file(count, row.slow))]
            measured = measure(cmd, rundir, rundir / "log.txt", exclude, env)
            result = _check_wget(row, run, count, measured, Path(f"{warc}.warc.gz"))
            if not self.args.keep:
                Path(f"{warc}.warc.gz").unlink(missing_ok=True)
            return result
        raise ValueError(row.kind)


_STAT_RE = re.compile(r"'([\w/.]+)': ([\d.]+)")


def _check_scrapy(row: Row, run: int, count: int, measured: Measured) -> Result:
    log = measured.log.read_text(encoding="utf-8", errors="replace")
    stats = {key: float(value) for key, value in _STAT_RE.findall(log)}
    responses = int(stats.get("response_received_count", 0))
    problems = []
    if measured.returncode:
        problems.append(f"exit {measured.returncode}")
    if responses < count:  # + robots.txt
        problems.append(f"{responses} responses for {count} URLs")
    return Result(row.name, run, count, not problems, problems, measured,
                  own_seconds=stats.get("elapsed_time_seconds"),
                  counts={"responses": responses,
                          "body_bytes": int(stats.get("bench/body_bytes", 0))})


def _check_extract(row: Row, run: int, count: int, measured: Measured) -> Result:
    lines = measured.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    problems = []
    outcome: dict[str, Any] = {}
    try:
        outcome = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        problems.append("no result")
    if measured.returncode:
        problems.append(f"exit {measured.returncode}")
    extracted = outcome.get("extracted", 0)
    if outcome and extracted < count:
        problems.append(f"text from {extracted} of {count} pages")
    return Result(row.name, run, count, not problems, problems, measured,
                  own_seconds=outcome.get("seconds"),
                  counts={"extracted": extracted, "chars": outcome.get("chars", 0)})


def _check_seeds(row: Row, run: int, count: int, measured: Measured,
                 archive_dir: Path) -> Result:
    problems = []
    if measured.returncode:
        problems.append(f"exit {measured.returncode}")
    counts: dict[str, Any] = {}
    own = None
    db_path = archive_dir / "archive.db"
    if db_path.exists():
        with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
            for table in ("captures", "articles", "errors"):
                counts[table] = db.execute(f"select count(*) from {table}").fetchone()[0]
            crawl = db.execute("select finish_reason, stats from crawls order by id desc "
                               "limit 1").fetchone()
        if crawl:
            counts["finish_reason"] = crawl[0]
            stats = json.loads(crawl[1] or "{}")
            own = stats.get("elapsed_time_seconds")
            counts["responses"] = stats.get("downloader/response_count", 0)
        if counts.get("captures", 0) < count:
            problems.append(f"{counts.get('captures', 0)} captures for {count} URLs")
        if counts.get("finish_reason") != "finished":
            problems.append(f"finish reason {counts.get('finish_reason')}")
    else:
        problems.append("no archive.db")
    warcs = sorted((archive_dir / "warc").glob("*.warc.gz"))
    counts["warc_files"] = len(warcs)
    counts["warc_bytes"] = sum(path.stat().st_size for path in warcs)
    if not warcs:
        problems.append("no WARC file")
    archive_only = dict(row.settings).get("EXTRACT_ENABLED") == "False"
    if not archive_only and counts.get("articles", 0) < count:
        problems.append(f"{counts.get('articles', 0)} articles for {count} pages")
    if archive_only and counts.get("articles", 0):
        problems.append(f"archive-only stored {counts['articles']} articles")
    if archive_only and measured.peak_python_processes > 1:
        problems.append(f"archive-only ran {measured.peak_python_processes - 1} more Python "
                        "processes")
    return Result(row.name, run, count, not problems, problems, measured, own_seconds=own,
                  counts=counts)


def _check_wget(row: Row, run: int, count: int, measured: Measured, warc: Path) -> Result:
    problems = []
    if measured.returncode:
        problems.append(f"exit {measured.returncode}")
    responses = 0
    if warc.exists():
        with gzip.open(warc, "rb") as fh:
            # Headers of every record; bodies may hold the phrase too, but not at a line
            # start followed by CRLF in these pages.
            responses = sum(1 for line in fh if line == b"WARC-Type: response\r\n")
    else:
        problems.append("no WARC file")
    if responses < count:
        problems.append(f"{responses} responses for {count} URLs")
    return Result(row.name, run, count, not problems, problems, measured,
                  counts={"responses": responses,
                          "warc_bytes": warc.stat().st_size if warc.exists() else 0})


# =========================================================================== report

RATIOS = [
    ("full pipeline / its own extraction alone", "full", "extract", 0.8),
    ("`crawler.extract` / plain `bare_extraction`", "extract", "bare", 0.6),
    ("archive-only / bare Scrapy", "archive-only", "scrapy", 0.9),
    ("archive-only / wget (slow site)", "archive-only-slow", "wget", 5.0),
    ("full pipeline / wget (slow site)", "full-slow", "wget", 2.0),
    ("full pipeline, large / full pipeline", "full-large", "full", None),
]
RSS_TARGET_MB = 300


def best_results(results: list[Result]) -> dict[str, Result]:
    best: dict[str, Result] = {}
    for result in results:
        current = best.get(result.row)
        if current is None or (result.ok, result.rate) > (current.ok, current.rate):
            best[result.row] = result
    return best


def _check_text(result: Result) -> str:
    c = result.counts
    if "captures" in c:
        text = (f"{c['captures']:,} captures, {c.get('articles', 0):,} articles, "
                f"{c['warc_files']} WARC ({c['warc_bytes'] / 1e6:.1f} MB)")
    elif "extracted" in c:
        text = f"{c['extracted']:,} texts"
    else:
        text = f"{c.get('responses', 0):,} responses"
        if "warc_bytes" in c:
            text += f", WARC {c['warc_bytes'] / 1e6:.1f} MB"
    return text if result.ok else f"**FAILED** ({'; '.join(result.problems)}); {text}"


def format_table(rows: list[Row], best: dict[str, Result]) -> str:
    lines = ["| run | pages | wall s | own s | pages/s | ratio | peak RSS (tree) | peak PSS "
             "| CPU s | main CPU ms/page | procs | result |",
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        result = best.get(row.name)
        if result is None:
            continue
        m = result.measured
        ratio = ""
        reference = best.get(row.reference)
        if reference is not None and reference.rate:
            ratio = f"{result.rate / reference.rate:.2f} × {row.reference}"
        own = f"{result.own_seconds:.1f}" if result.own_seconds else ""
        lines.append(
            f"| {row.label} | {result.pages:,} | {m.wall_seconds:.1f} | {own} "
            f"| {result.rate:.0f} | {ratio} | {m.peak_rss_mb:.0f} MB | {m.peak_pss_mb:.0f} MB "
            f"| {m.cpu_seconds:.0f} | {1000 * m.main_cpu_seconds / result.pages:.1f} "
            f"| {m.peak_processes} | {_check_text(result)} |")
    return "\n".join(lines)


def format_ratios(best: dict[str, Result]) -> tuple[str, list[dict[str, Any]]]:
    lines, data = [], []
    for label, top, bottom, target in RATIOS:
        if top in best and bottom in best and best[bottom].rate:
            value = best[top].rate / best[bottom].rate
            goal = f" (target >= {target:g})" if target else ""
            lines.append(f"- {label}: {value:.2f}{goal}")
            data.append({"ratio": label, "rows": [top, bottom], "value": value,
                         "target": target})
    for name in ("full-large", "full"):
        if name in best:
            r = best[name]
            lines.append(f"- peak RSS of the full pipeline over {r.pages:,} pages: "
                         f"{r.measured.peak_rss_mb:.0f} MB, PSS {r.measured.peak_pss_mb:.0f} MB "
                         f"(target <= {RSS_TARGET_MB} MB over 20,000 pages)")
            break
    return "\n".join(lines), data


# =========================================================================== main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_serve"]:
        return serve_main(argv[1:])
    if argv[:1] == ["_extract"]:
        return extract_main(argv[1:])
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Rows: scrapy, extract, bare, trafilatura, full, archive-only, full-large, "
               "wget, full-slow, archive-only-slow.")
    parser.add_argument("--pages", type=int, default=1000, help="pages per run (1,000)")
    parser.add_argument("--large-pages", type=int, default=10_000,
                        help="pages of the full-large row (10,000; 0 leaves the row out)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="interleaved runs of every row; the best of each is kept (2)")
    parser.add_argument("--latency", type=float, default=20.0,
                        help="ms before each response of the slow site (20)")
    parser.add_argument("--gzip", action="store_true",
                        help="serve Content-Encoding: gzip to clients that accept it")
    parser.add_argument("--only", help="comma-separated row names (see below)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        help="extraction processes, for the crawls (EXTRACT_WORKERS) and the "
                             "extraction rows (default: one per core)")
    parser.add_argument("--log-level", default="INFO", help="LOG_LEVEL of the crawls (INFO)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="an extra Scrapy setting for every crawl, bare spider included "
                             "(repeatable), e.g. --set CONCURRENT_ITEMS=1")
    parser.add_argument("--wget", default=shutil.which("wget") or "/usr/bin/wget")
    parser.add_argument("--json", type=Path, help="write every run's numbers here")
    parser.add_argument("--keep", type=Path, help="keep the site, logs and archives here")
    args = parser.parse_args(argv)
    if any("=" not in item for item in args.set):
        parser.error("--set takes NAME=VALUE")

    rows = make_rows(args.pages, args.large_pages, args.latency, args.workers)
    if args.large_pages <= 0:
        rows = [row for row in rows if not row.large]
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = set(wanted) - {row.name for row in rows}
        if unknown:
            parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
        rows = [row for row in rows if row.name in wanted]
    if any(row.kind == "wget" for row in rows) and not Path(args.wget).exists():
        parser.error(f"no wget at {args.wget}")

    _become_subreaper()
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="crawl-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    site_dir = workdir / "site"
    started = time.perf_counter()
    count = max([args.pages] + [args.large_pages for row in rows if row.large])
    pages = build_site(count)
    write_site(pages, site_dir)
    sizes = sorted(len(page.body) for page in pages)
    site_info = {
        "pages": len(pages),
        "bytes_mean": sum(sizes) / len(sizes),
        "bytes_min": sizes[0],
        "bytes_max": sizes[-1],
        "chinese": sum(page.language == "zh" for page in pages),
        "gbk": sum(page.charset == "gbk" for page in pages),
        "french": sum(page.language == "fr" for page in pages),
        "build_seconds": time.perf_counter() - started,
    }
    del pages
    latencies = sorted({0.0, args.latency})
    server = SiteServer(site_dir, latencies, args.gzip)
    results: list[Result] = []
    try:
        bench = Bench(args, workdir, site_dir, server, read_index(site_dir))
        for run in range(max(1, args.repeat)):
            for row in rows:
                result = bench.run(row, run)
                results.append(result)
                status = "ok" if result.ok else "FAILED: " + "; ".join(result.problems)
                print(f"run {run + 1} {row.name}: {result.pages} pages in "
                      f"{result.measured.wall_seconds:.1f} s = {result.rate:.1f} pages/s, "
                      f"peak RSS {result.measured.peak_rss_mb:.0f} MB ({status})",
                      file=sys.stderr, flush=True)
        server_cpu = server.cpu_seconds()
    finally:
        server.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    best = best_results(results)
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"Python {platform.python_version()}; site: {site_info['pages']:,} pages, "
          f"{site_info['bytes_mean'] / 1024:.1f} KB on average ({site_info['bytes_min']:,} to "
          f"{site_info['bytes_max']:,} bytes), {site_info['chinese']:,} Chinese "
          f"({site_info['gbk']:,} GBK), {site_info['french']:,} French; "
          f"{'gzip' if args.gzip else 'no gzip'}; slow site: {args.latency:g} ms per response; "
          f"best of {max(1, args.repeat)} interleaved runs; site server CPU "
          f"{server_cpu:.1f} s in all" + (f"; extra settings: {' '.join(args.set)}" if args.set
                                            else ""))
    print()
    print(format_table(rows, best))
    print()
    ratio_text, ratio_data = format_ratios(best)
    print(ratio_text)
    if args.json:
        args.json.write_text(json.dumps({
            "machine": {"arch": platform.machine(), "cores": len(os.sched_getaffinity(0)),
                        "python": platform.python_version()},
            "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "site": site_info, "server_cpu_seconds": server_cpu,
            # the sampler's own cost, for a check that measuring does not weigh on the runs
            "driver_cpu_seconds": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
            "rows": {row.name: {"label": row.label, "best": best[row.name].as_dict()
                                if row.name in best else None}
                     for row in rows},
            "runs": [result.as_dict() for result in results],
            "ratios": ratio_data,
        }, indent=2), encoding="utf-8")
    return 0 if all(result.ok for result in best.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
