# ruff: noqa: E501  (prose and markup of the test pages)
"""Bytes for the hostile site: article pages (written for these tests), walls, bombs,
oversized feeds. Expensive ones are built once per process."""

from __future__ import annotations

import functools
import gzip
import io
import struct
import zlib
from html import escape

ZH_PARAGRAPHS = [
    "市图书馆改造工程于本周一正式完工，新馆面积比原来扩大了一倍，阅览座位增加到一千二百个。"
    "馆方表示，改造期间共整理旧书四万余册，其中约三千册古籍已完成数字化扫描，读者可以在馆内终端免费查阅。",
    "新馆一楼设立了儿童阅读区和自助借还区，二楼为期刊和地方文献区，三楼则开放了二十间可以预约的研讨室。"
    "不少市民在开馆首日就前来参观，有退休教师说，新馆的采光和座椅都比以前好得多，适合长时间看书。",
    "据介绍，图书馆今后将延长开放时间，工作日开放到晚上九点，周末全天开放。馆方还计划与附近的中小学合作，"
    "每月举办两次面向学生的阅读分享会，并邀请本地作家和学者开设公益讲座。",
    "负责改造设计的建筑师在接受采访时说，设计团队保留了老馆的砖墙和木质书架，希望让老读者在新空间里依然能找到熟悉的感觉。"
    "屋顶加装了太阳能板，预计每年可以节省约三成的用电量。",
    "市文化部门的负责人表示，图书馆改造是今年民生项目之一，下一步将在三个新建社区开设分馆，"
    "让居民在步行十五分钟的范围内就能借到图书。分馆的藏书将与总馆统一编目，支持通借通还。",
]

ZH_TRADITIONAL = [
    "本市的社區菜園計畫今年擴大到十二個里，參與的居民超過六百戶。主辦單位表示，菜園不但讓居民有新鮮蔬菜可吃，"
    "也成為鄰居互相認識的地方，許多長輩每天清晨都會到菜園澆水、聊天。",
    "計畫負責人說，今年特別邀請農業改良場的專家到各里開設課程，教大家如何製作堆肥、防治病蟲害，"
    "並且推廣不使用化學農藥的種植方式。課程報名非常踴躍，每一場都在開放後一週內額滿。",
    "有參與的家長表示，孩子週末跟著到菜園幫忙，學會了分辨各種蔬菜，也比較願意吃青菜了。"
    "里長則希望明年可以在菜園旁邊增設休息涼亭和雨水回收設備，讓環境更加友善。",
    "市府農業局指出，社區菜園使用的土地多半是閒置的公有地，經過整理後交由里辦公處管理，"
    "未來將評估擴大到學校和公園周邊，讓更多市民有機會親手種菜。",
]

EN_CAPTCHA_ARTICLE = [
    "Researchers who study online security say the familiar CAPTCHA puzzle is changing faster than "
    "most people notice. The tests that once asked visitors to type distorted letters, or to click every "
    "square showing a traffic light, are being replaced by checks that run quietly in the background.",
    "Those invisible checks look at how a visitor moves a mouse, how quickly a form is filled in and "
    "whether the browser behaves like the ones real people use. When the score looks suspicious, the site "
    "may still show a challenge such as 'verify you are human', but most visitors never see one at all.",
    "Critics argue that the new systems trade one problem for another. People who use screen readers or "
    "older devices are more likely to be flagged, and some are shown login walls or access denied pages "
    "without any explanation of what went wrong or how to get past them.",
    "Publishers are watching closely, because every extra step between a reader and an article costs "
    "traffic. Several news organisations told the researchers they had removed cookie walls and reduced "
    "the number of prompts asking readers to sign in, after seeing how many visitors left at that point.",
    "The study's authors recommend that sites explain clearly why a visitor was stopped, offer an "
    "accessible alternative to visual puzzles, and keep rate limits generous enough that ordinary readers "
    "who open many tabs at once are not mistaken for automated crawlers.",
]

FR_PARAGRAPHS = [
    "La région a annoncé lundi la réouverture de la ligne ferroviaire entre les deux vallées, fermée depuis "
    "huit ans faute d'entretien. Les travaux, qui ont duré dix-huit mois, ont permis de remplacer les rails, "
    "de consolider trois ponts et de moderniser la signalisation sur l'ensemble du parcours.",
    "Six allers-retours quotidiens seront proposés dès le mois prochain, avec des correspondances vers la "
    "grande ville à chaque extrémité de la ligne. Les élus locaux espèrent que le train attirera les "
    "étudiants et les salariés qui font aujourd'hui le trajet en voiture sur une route souvent encombrée.",
    "Les associations d'usagers saluent la décision tout en demandant des horaires mieux adaptés aux "
    "horaires scolaires. Elles rappellent que plusieurs gares intermédiaires n'ont toujours pas d'abri "
    "pour les voyageurs ni de parking pour les vélos.",
    "Le coût total du chantier s'élève à quarante-deux millions d'euros, financés par la région, l'État "
    "et les communautés de communes concernées. Une évaluation de la fréquentation est prévue au bout "
    "d'un an pour décider d'éventuels trains supplémentaires le week-end.",
]


def article_html(title: str, paragraphs: list[str], lang: str = "zh-CN", charset: str = "utf-8",
                 meta_charset: str | None = None, header: str = "", extra_head: str = "") -> str:
    """A news page: navigation, headline, date, paragraphs, footer."""
    declared = meta_charset if meta_charset is not None else charset
    meta = f'<meta charset="{declared}">' if declared else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}<title>{escape(title)} - 本地新闻网</title>{extra_head}
<meta property="article:published_time" content="2025-05-06T09:30:00+08:00"></head>
<body><header><nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/city">城市</a></nav>
{header}</header>
<main><article><h1>{escape(title)}</h1><p class="byline">2025-05-06 记者 林晓</p>
{body}
</article></main>
<footer><p>版权所有 本地新闻网</p></footer></body></html>"""


_TRADITIONAL_CHROME = {"本地新闻网": "本地新聞網", "首页": "首頁", "新闻": "新聞", "城市": "城市",
                       "版权所有": "版權所有", "记者": "記者", "林晓": "林曉"}


def traditional(html: str) -> str:
    """The page chrome of :func:`article_html` in Traditional characters (Big5 has no
    Simplified ones)."""
    for simplified, trad in _TRADITIONAL_CHROME.items():
        html = html.replace(simplified, trad)
    return html


def page(title: str, body_html: str, lang: str = "en", head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>{head}</head><body>{body_html}</body></html>"
            ).encode()


@functools.cache
def gzip_bomb(mebibytes: int = 1024) -> bytes:
    """A gzip member of ``mebibytes`` MiB of zeros, about 1 KB per MiB (built in a second:
    the same fully flushed deflate block, repeated)."""
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first + block * (mebibytes - 1)
            + tail + struct.pack("<II", crc, (mebibytes << 20) & 0xFFFFFFFF))


@functools.cache
def deflate_bomb(mebibytes: int = 512) -> bytes:
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    # zlib's trailer is an Adler-32 of the data: computed the slow way once, then cached
    adler = 1
    for _ in range(mebibytes):
        adler = zlib.adler32(zeros, adler)
    return first + block * (mebibytes - 1) + compressor.flush()[:-4] + struct.pack(">I", adler)


@functools.cache
def zstd_bomb(mebibytes: int = 512) -> bytes:
    try:
        from compression import zstd  # Python 3.14
    except ImportError:
        from backports import zstd  # what Scrapy decodes with
    compressor = zstd.ZstdCompressor()
    zeros = bytes(1 << 20)
    return b"".join(compressor.compress(zeros) for _ in range(mebibytes)) + compressor.flush()


@functools.cache
def brotli_bomb(mebibytes: int = 512) -> bytes:
    import brotli

    compressor = brotli.Compressor(quality=5)
    zeros = bytes(1 << 20)
    return b"".join(compressor.process(zeros) for _ in range(mebibytes)) + compressor.finish()


@functools.cache
def big_sitemap(base: str, count: int = 200_000, allowed_every: int = 100) -> bytes:
    """A urlset of ``count`` URLs: one in ``allowed_every`` under /feedpage/ (robots.txt
    allows it), the others under /private/ (disallowed)."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    for i in range(count):
        folder = "feedpage" if i % allowed_every == 0 else "private"
        out.write(f"<url><loc>{base}/{folder}/sm-{i}</loc></url>\n")
    out.write("</urlset>\n")
    return out.getvalue().encode("ascii")


@functools.cache
def big_rss(base: str, count: int = 20_000) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>{base}/feedpage/rss-{i}</link></item>"
                    for i in range(count))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Many items</title><link>{base}/</link>{items}</channel></rss>"
            ).encode()


@functools.cache
def huge_html(megabytes: int = 30) -> bytes:
    """A ``megabytes`` MB page of article-like paragraphs."""
    paragraph = ("<p>" + " ".join(EN_CAPTCHA_ARTICLE) + "</p>\n").encode("utf-8")
    head = b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Huge</title></head><body>"
    count = megabytes * 1024 * 1024 // len(paragraph) + 1
    return head + paragraph * count + b"</body></html>"


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6)
