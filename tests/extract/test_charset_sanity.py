"""Charset sanity through ``extract()``: a page decodes as the Chinese charset its text reads
in, whatever it declares, and text no charset reads right is never returned as an article."""

from __future__ import annotations

import pytest

from crawler.extract import Mojibake, extract, extract_article
from crawler.extract.articles import build_article

PARAGRAPHS_TW = [
    "行政院今日召開院會，通過「再生能源發展條例」部分條文修正草案，將於近期送請立法院審議。",
    "經濟部表示，修正草案明定一定規模以上之用電大戶應設置再生能源發電設備，或購買綠電憑證。",
    "政府將持續與地方政府及產業界溝通，逐步達成二〇五〇年淨零排放目標，並兼顧產業競爭力。",
    "環保團體對此表示肯定，但也呼籲政府加快電網建設，讓再生能源能夠真正併入電力系統使用。",
]
PARAGRAPHS_ZH = [
    "国家统计局今天发布数据显示，今年前两个月全国规模以上工业增加值同比增长百分之六点二。",
    "分行业看，四十一个大类行业中有三十五个行业增加值保持增长，其中电子设备制造业增长较快。",
    "专家认为，随着稳增长政策持续发力，消费需求逐步恢复，工业生产有望继续保持平稳增长态势。",
]


def page(paragraphs: list[str], title: str, charset: str | None) -> str:
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            if charset else "")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head>{meta}<title>{title}_新聞_某某網</title></head><body>"
            f"<div class='nav'><a href='/'>首頁</a> <a href='/news'>新聞</a></div>"
            f"<h1>{title}</h1><div class='content'>{body}</div>"
            f"<div class='footer'>版權所有</div></body></html>")


TITLE_TW = "行政院會通過再生能源發展條例修正草案"
TITLE_ZH = "前两月规模以上工业增加值同比增长"


@pytest.mark.parametrize("declared", ["gb2312", "gbk", None])
def test_big5_page_declared_gbk_is_read_as_big5(declared):
    body = page(PARAGRAPHS_TW, TITLE_TW, declared).encode("big5hkscs")
    header = "text/html; charset=gb2312" if declared is None else "text/html"
    article = extract(body, "https://www.example.gov.tw/news/1", header)
    assert article["encoding"] == "big5hkscs"
    assert article["title"] == TITLE_TW
    assert article["text"].splitlines() == PARAGRAPHS_TW


def test_gbk_page_declaring_nothing_is_read_as_gbk():
    body = page(PARAGRAPHS_ZH, TITLE_ZH, None).encode("gb18030")
    article = extract(body, "http://news.example.cn/a/1.html", "text/html")
    assert article["encoding"] == "gb18030"
    assert article["text"].splitlines() == PARAGRAPHS_ZH


def _mojibake_page() -> bytes:
    # A page that stored its text decoded with the wrong charset (Big5 bytes read as GBK),
    # served as valid UTF-8: no decoding can recover it.
    misread = [p.encode("big5hkscs").decode("gb18030") for p in PARAGRAPHS_TW]
    return page(misread, TITLE_TW, "utf-8").encode("utf-8")


def test_mojibake_is_never_an_article():
    body = _mojibake_page()
    assert extract(body, "https://www.example.gov.tw/news/2", "text/html") is None
    with pytest.raises(Mojibake, match="implausible Chinese"):
        extract_article(body, "https://www.example.gov.tw/news/2", "text/html")
    with pytest.raises(Mojibake):
        build_article(body, "https://www.example.gov.tw/news/2", "text/html", None)


def test_double_encoded_utf8_is_read_back():
    # The site read its UTF-8 as Windows-1252 and published the result, in a page declared
    # right: no charset recovers the text, reading those bytes again as UTF-8 does.
    sentences = [f"L'été dernier, la fréquentation des trains régionaux de la ligne {n} a "
                 f"progressé de {n + 11} %, selon la région, à la rentrée." for n in range(4)]
    html = (f"<html><head><title>Été à Noël</title></head><body><article>"
            f"{''.join(f'<p>{s}</p>' for s in sentences)}</article></body></html>")
    body = html.encode("utf-8").decode("cp1252").encode("utf-8")
    result = extract_article(body, "https://www.example.fr/ete", "text/html; charset=utf-8")
    assert result["text"].splitlines() == sentences
    assert result["title"] == "Été à Noël"


def test_utf8_read_as_windows_1251_is_read_back():
    sentences = [f"“The drug no longer depends on plants,” says the Freie Universität’s "
                 f"François Lévesque – the {n}th result that took years." for n in range(4, 7)]
    html = (f"<html><head><meta charset='utf-8'><title>Artemisinin</title></head><body>"
            f"<article>{''.join(f'<p>{s}</p>' for s in sentences)}</article></body></html>")
    body = html.encode("utf-8").decode("cp1251").encode("utf-8")
    assert "вЂњ" in body.decode("utf-8")
    result = extract_article(body, "https://www.example.org/news/1", None)
    assert result["text"].splitlines() == sentences


def test_utf8_read_as_a_single_byte_charset_cannot_hide_gbk_misread():
    # GBK read as Windows-1252 is no UTF-8 to read back: still refused
    sentence = "国家统计局今天发布数据显示，全国规模以上工业增加值同比增长。" * 3
    html = "<html><body><article>" + f"<p>{sentence}</p>" * 4 + "</article></body></html>"
    body = html.encode("gb18030").decode("cp1252", "replace").encode("utf-8")
    with pytest.raises(Mojibake):
        extract_article(body, "https://www.example.cn/news/1", "text/html; charset=utf-8")


def test_mojibake_survives_a_process_pool():
    import pickle

    exc = pickle.loads(pickle.dumps(Mojibake("implausible Chinese")))
    assert isinstance(exc, Mojibake) and exc.reason == "implausible Chinese"
