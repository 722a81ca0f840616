from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from crawler.text.decode import (
    DecodedText,
    charset_from_content_type,
    chinese_plausibility,
    decode_html,
    looks_mojibake,
)

BODY_ZH = (
    "国家统计局今天发布数据显示，今年前两个月全国规模以上工业增加值同比增长百分之六点二，"
    "增速比去年全年加快零点四个百分点。分行业看，四十一个大类行业中有三十五个行业增加值保持增长，"
    "其中电子设备制造业和汽车制造业增长较快。专家认为，随着稳增长政策持续发力，"
    "工业生产有望继续保持平稳增长态势。"
)
# 〇 (U+3007) exists in Big5-HKSCS but not in plain Big5: it checks the widening.
BODY_TW = (
    "行政院今日召開院會，通過「再生能源發展條例」部分條文修正草案，將於近期送請立法院審議。"
    "經濟部表示，修正草案明定一定規模以上之用電大戶應設置再生能源發電設備，"
    "政府將持續與地方政府及產業界溝通，逐步達成二〇五〇年淨零排放目標。"
)


TITLE_ZH = "前两月规模以上工业增加值同比增长6.2%"
TITLE_TW = "行政院會通過再生能源發展條例修正草案"
CHROME_ZH = ('<a href="/">首页</a> <a href="/finance/">财经</a>', "版权所有 京ICP备12345678号")
CHROME_TW = ('<a href="/">回首頁</a> <a href="/news">新聞與公告</a>', "行政院 版權所有")
CHROME_FR = ('<a href="/">Accueil</a> <a href="/tech">Tech</a>', "© 2025 Mentions légales")


def page(
    body: str, meta: str = "", title: str = TITLE_ZH, chrome: tuple[str, str] = CHROME_ZH
) -> str:
    nav, footer = chrome
    return (
        f"<!DOCTYPE html>\n<html>\n<head>\n{meta}\n<title>{title}</title>\n</head>\n"
        f'<body>\n<div class="nav">{nav}</div>\n<h1>{title}</h1>\n<p>{body}</p>\n'
        f'<div class="footer">{footer}</div>\n</body>\n</html>\n'
    )


def meta_charset(label: str) -> str:
    return f'<meta charset="{label}">'


def meta_http_equiv(label: str) -> str:
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=utf-8", "utf-8"),
        ("text/html; charset=UTF8", "utf-8"),
        ('text/html; charset="GBK"', "gb18030"),
        ("text/html;charset=gb2312", "gb18030"),
        ("text/html; charset=x-gbk", "gb18030"),
        ("text/html; charset=cp936", "gb18030"),
        ("text/html; charset=GB18030", "gb18030"),
        ("text/html; charset=big5", "big5hkscs"),
        ("text/html; charset=Big5-HKSCS", "big5hkscs"),
        ("text/html; charset=iso-8859-1", "cp1252"),
        ("text/html; charset=no-such-charset", None),
        ("text/html", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_from_content_type(content_type, expected):
    assert charset_from_content_type(content_type) == expected


def test_utf8_meta():
    html = page(BODY_ZH, meta_charset("utf-8"))
    decoded = decode_html(html.encode("utf-8"), "text/html")
    assert decoded == DecodedText(html, "utf-8", "meta")


@pytest.mark.parametrize("label", ["gbk", "GBK", "gb2312", "x-gbk", "cp936"])
def test_gbk_declared_in_header_only(label):
    html = page(BODY_ZH)
    decoded = decode_html(html.encode("gb18030"), f"text/html; charset={label}")
    assert (decoded.encoding, decoded.source) == ("gb18030", "header")
    assert decoded.text == html


@pytest.mark.parametrize(
    "meta", [meta_charset("gbk"), meta_http_equiv("gbk"), meta_charset("GB2312")]
)
def test_gbk_declared_in_meta_only(meta):
    html = page(BODY_ZH, meta)
    decoded = decode_html(html.encode("gb18030"), "text/html")
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert decoded.text == html


def test_gb18030_characters_outside_gbk():
    # A rare character only GB18030 encodes (4 bytes): gbk would turn it into U+FFFD.
    html = page(BODY_ZH + "䶮", meta_charset("gbk"))
    decoded = decode_html(html.encode("gb18030"))
    assert decoded.text == html


@pytest.mark.parametrize("meta", [meta_http_equiv("big5"), meta_charset("BIG5")])
def test_big5_widened_to_big5hkscs(meta):
    html = page(BODY_TW, meta, TITLE_TW, CHROME_TW)
    body = html.encode("big5hkscs")
    assert body.decode("big5", errors="replace") != html  # plain Big5 reads 〇 as ま
    decoded = decode_html(body, "text/html")
    assert (decoded.encoding, decoded.source) == ("big5hkscs", "meta")
    assert decoded.text == html
    assert "\ufffd" not in decoded.text


@pytest.mark.parametrize(
    ("meta", "content_type"),
    [
        (meta_charset("gb2312"), "text/html"),
        (meta_http_equiv("gbk"), None),
        ("", "text/html; charset=GB2312"),
        (meta_charset("big5"), "text/html; charset=gbk"),
        (meta_charset("iso-8859-1"), None),
    ],
)
def test_declared_legacy_charset_but_really_utf8(meta, content_type):
    html = page(BODY_ZH, meta)
    decoded = decode_html(html.encode("utf-8"), content_type)
    assert (decoded.encoding, decoded.source) == ("utf-8", "detected")
    assert decoded.text == html


def test_utf8_page_cut_mid_character_declared_gbk():
    body = page(BODY_ZH, meta_charset("gb2312")).encode("utf-8")
    cut = body[: body.index("专家".encode()) + 1]
    decoded = decode_html(cut, "text/html; charset=gb2312")
    assert decoded.encoding == "utf-8"
    assert "工业增加值" in decoded.text
    assert decoded.text.count("\ufffd") == 1


def test_gbk_page_with_one_bad_byte_keeps_its_declaration():
    body = page(BODY_ZH, meta_charset("gbk")).encode("gb18030")
    at = body.index("专家".encode("gb18030"))
    damaged = body[:at] + b"\xff" + body[at:]
    decoded = decode_html(damaged, "text/html")
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert decoded.text.count("\ufffd") == 1
    assert BODY_ZH[-20:] in decoded.text


def test_header_utf8_but_meta_and_bytes_gbk():
    # Servers often add their default charset=utf-8 to pages written in GBK.
    html = page(BODY_ZH, meta_charset("gbk"))
    decoded = decode_html(html.encode("gb18030"), "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert decoded.text == html


def test_header_utf8_but_bytes_gbk_without_meta():
    html = page(BODY_ZH)
    decoded = decode_html(html.encode("gb18030"), "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.source) == ("gb18030", "detected")
    assert decoded.text == html


def test_header_wins_over_meta_when_both_fit():
    # GBK bytes happen to be valid Big5 here too: the header still comes first.
    html = page(BODY_ZH, meta_charset("big5"))
    decoded = decode_html(html.encode("gb18030"), "text/html; charset=gbk")
    assert (decoded.encoding, decoded.source) == ("gb18030", "header")


@pytest.mark.parametrize("content_type", [None, "text/html; charset=gbk"])
def test_utf8_bom_wins(content_type):
    html = page(BODY_ZH, meta_charset("gbk"))
    decoded = decode_html(b"\xef\xbb\xbf" + html.encode("utf-8"), content_type)
    assert decoded == DecodedText(html, "utf-8", "bom")


def test_utf16_bom():
    html = page(BODY_ZH)
    decoded = decode_html(html.encode("utf-16"))
    assert decoded.source == "bom"
    assert decoded.encoding.startswith("utf-16")
    assert decoded.text == html


@pytest.mark.parametrize(
    ("html", "codec"),
    [(page(BODY_ZH), "gb18030"), (page(BODY_TW, "", TITLE_TW, CHROME_TW), "big5hkscs")],
)
def test_no_declaration_detected(html, codec):
    decoded = decode_html(html.encode(codec), None)
    assert (decoded.encoding, decoded.source) == (codec, "detected")
    assert decoded.text == html


def test_no_declaration_utf8():
    html = page(BODY_ZH)
    decoded = decode_html(html.encode("utf-8"), "text/html")
    assert (decoded.encoding, decoded.source) == ("utf-8", "detected")
    assert decoded.text == html


@pytest.mark.parametrize("content_type", ["text/html; charset=foobar", "text/html; charset=utf-7"])
def test_unknown_declared_charset_falls_back_to_detection(content_type):
    html = page(BODY_ZH, meta_charset("klingon"))
    decoded = decode_html(html.encode("gb18030"), content_type)
    assert (decoded.encoding, decoded.source) == ("gb18030", "detected")
    assert decoded.text == html


def test_meta_in_comment_is_ignored():
    html = page(BODY_ZH, "<!-- " + meta_charset("big5") + " -->\n" + meta_charset("gbk"))
    decoded = decode_html(html.encode("gb18030"))
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")


def test_xml_declaration():
    html = '<?xml version="1.0" encoding="gb2312"?>\n' + page(BODY_ZH)
    decoded = decode_html(html.encode("gb18030"))
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")


def test_meta_utf16_means_utf8():
    html = page(BODY_ZH, meta_charset("utf-16"))
    decoded = decode_html(html.encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert decoded.text == html


def test_header_utf16_on_ascii_bytes_is_ignored():
    html = "<html><head><title>t</title></head><body><p>plain text</p></body></html>"
    decoded = decode_html(html.encode("ascii"), "text/html; charset=utf-16")
    assert decoded == DecodedText(html, "utf-8", "default")


def test_numeric_character_references_are_kept():
    html = "<html><body><p>&#20013;&#25991; &#x6587; &amp; caf&eacute;</p></body></html>"
    decoded = decode_html(html.encode("ascii"))
    assert decoded.text == html
    assert (decoded.encoding, decoded.source) == ("utf-8", "default")


def test_ascii_with_declaration():
    html = "<html><head>" + meta_charset("gbk") + "</head><body>&#20013;</body></html>"
    decoded = decode_html(html.encode("ascii"))
    assert decoded == DecodedText(html, "gb18030", "meta")


def test_latin1_declared():
    html = page("Été à Noël, ça coûte 10 €.", meta_charset("iso-8859-1"), "Noël", CHROME_FR)
    decoded = decode_html(html.encode("cp1252"))
    assert (decoded.encoding, decoded.source) == ("cp1252", "meta")
    assert decoded.text == html


def _garbage() -> list[bytes]:
    rng = random.Random(1)
    return [
        b"",
        bytes(range(256)) * 4,
        bytes(rng.randrange(256) for _ in range(5000)),
        b"<html><head><meta charset=gbk></head><body>\xff\xfe\xfd\x80\x81</body></html>",
        b"\xef\xbb\xbf\xff\xff\xc3",
        b"\xff\xfe\x00",
        "中文".encode()[:-1],
    ]


@pytest.mark.parametrize("body", _garbage())
@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=gbk",
        "text/html; charset=big5",
        "text/html; charset=utf-16",
        "text/html; charset=bogus",
    ],
)
def test_never_raises_on_bad_bytes(body, content_type):
    decoded = decode_html(body, content_type)
    assert isinstance(decoded.text, str)
    assert decoded.source in {"bom", "header", "meta", "detected", "default"}
    # The codec reported is one that Python knows.
    b"".decode(decoded.encoding)


# --- charset sanity: a declaration the text contradicts ------------------------------------

BODY_KO = (
    "대한민국 정부는 오늘 새로운 경제 정책을 발표했습니다. 이번 정책은 중소기업 지원과 "
    "일자리 창출을 목표로 하고 있으며, 전문가들은 긍정적인 반응을 보이고 있습니다."
)


@pytest.mark.parametrize(
    ("meta", "content_type"),
    [
        (meta_charset("gb2312"), "text/html"),
        (meta_http_equiv("gbk"), None),
        ("", "text/html; charset=GB2312"),
        (meta_charset("gb18030"), "text/html; charset=gbk"),
    ],
)
def test_big5_bytes_declared_gbk_decode_as_big5(meta, content_type):
    html = page(BODY_TW, meta, TITLE_TW, CHROME_TW)
    body = html.encode("big5hkscs")
    # the trap: GB18030 reads these bytes without a single error
    assert "\ufffd" not in body.decode("gb18030", errors="replace")
    decoded = decode_html(body, content_type)
    assert (decoded.encoding, decoded.source) == ("big5hkscs", "detected")
    assert decoded.text == html


def test_gbk_bytes_declared_big5_decode_as_gbk():
    html = page(BODY_ZH, meta_charset("big5"))
    decoded = decode_html(html.encode("gb18030"), "text/html")
    assert (decoded.encoding, decoded.text) == ("gb18030", html)


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252"])
def test_gbk_bytes_declared_latin1_decode_as_gbk(label):
    html = page(BODY_ZH, meta_charset(label))
    decoded = decode_html(html.encode("gb18030"), None)
    assert (decoded.encoding, decoded.source, decoded.text) == ("gb18030", "detected", html)


def test_korean_is_not_taken_for_chinese():
    # EUC-KR hangul bytes are valid GBK, on common characters: the order gives them away.
    html = page(BODY_KO, "", "경제 정책", ("<a href='/'>홈</a>", "저작권"))
    decoded = decode_html(html.encode("euc-kr"), None)
    assert decoded.encoding != "gb18030"
    assert BODY_KO in decoded.text


@pytest.mark.parametrize(("text", "codec"), [(BODY_ZH, "gb18030"), (BODY_TW, "big5hkscs")])
def test_chinese_plausibility(text, codec):
    common, frequent = chinese_plausibility(text)
    assert common > 0.95 and frequent > 0.1
    for wrong in {"gb18030", "big5hkscs"} - {codec}:
        misread = text.encode(codec).decode(wrong, errors="replace")
        common, frequent = chinese_plausibility(misread)
        assert common < 0.7 or frequent < 0.03
    assert chinese_plausibility("plain English text") is None


def test_looks_mojibake():
    assert looks_mojibake(BODY_ZH) is None
    assert looks_mojibake(BODY_TW) is None
    assert looks_mojibake("Été à Noël, ça coûte 10 €.") is None
    assert looks_mojibake(None) is None
    big5_as_gbk = (BODY_TW * 2).encode("big5hkscs").decode("gb18030")
    assert looks_mojibake(big5_as_gbk).startswith("implausible Chinese")
    utf8_as_cp1252 = ("Été à Noël, déjà réservé " * 4).encode("utf-8").decode("cp1252")
    assert "Windows-1252" in looks_mojibake(utf8_as_cp1252)
    assert "replacement" in looks_mojibake(BODY_ZH[:40] + "\ufffd" * 5)


def test_a_few_lost_characters_are_no_mojibake():
    # a reporter's rare given name lost three times in a page of 600 characters: readable
    text = "\n".join(["本报讯 （记者毛\ufffd磊）" + BODY_ZH] * 3)
    assert len(text) < 600 * 3 and text.count("\ufffd") == 3
    assert looks_mojibake(text) is None


# --- real pages: the real-page corpus (benchmarks/corpus-real), when it has been built ------

REAL_PAGES = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus-real" / "pages"
FAMILY = {"utf-8": "utf-8", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
          "big5hkscs": "big5hkscs"}


def _real_pages() -> list[dict]:
    # The dev split only: the held-out pages are for the evaluation, not for tests.
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in REAL_PAGES.glob("*.meta.json")]
    return [m for m in metas if m["split"] == "dev" and m["language"] == "zh"]


needs_real_pages = pytest.mark.skipif(
    not _real_pages(),
    reason="the real-page corpus is not built (python benchmarks/corpus-real/build.py "
    "--mirror-dir DIR, from public repositories)",
)


@needs_real_pages
@pytest.mark.parametrize("wrong", ["gb2312", "big5", None])
def test_real_chinese_pages_decode_whatever_they_declare(wrong):
    for meta in _real_pages():
        body = (REAL_PAGES / meta["file"]).read_bytes()
        decoded = decode_html(body, f"text/html; charset={wrong}" if wrong else "text/html")
        codec = FAMILY[meta["encoding"]]
        assert decoded.encoding == codec, (meta["name"], wrong)
        assert decoded.text == body.decode(codec, errors="replace"), meta["name"]


BODY_JA = (
    "気象庁は二十日、関東甲信地方が梅雨明けしたとみられると発表した。平年より一日早く、"
    "昨年より八日遅い。今後一週間は晴れて気温の高い日が続く見込みで、熱中症への警戒が必要だ。"
    "同庁によると、東京都心では午後に最高気温が三十五度を超える猛暑日となる所もあるという。"
)
BODY_KO = (
    "기상청은 20일 장마가 끝났다고 발표했다. 올해 장마는 평년보다 하루 일찍 끝났으며 "
    "앞으로 일주일 동안 맑고 무더운 날씨가 이어질 것으로 보인다. 기상청은 온열질환에 "
    "대비해 한낮에는 야외 활동을 자제하고 물을 자주 마시라고 당부했다."
)


BODY_RU = (
    "Правительство утвердило план развития транспортной сети на ближайшие пять лет. По словам "
    "министра, в первую очередь будут отремонтированы мосты и региональные дороги, а также "
    "построены новые железнодорожные вокзалы в крупных городах."
)
BODY_EL = (
    "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για τη στήριξη των νοικοκυριών. Σύμφωνα με τον "
    "υπουργό, τα μέτρα θα ισχύσουν από τον επόμενο μήνα και θα αφορούν κυρίως το κόστος ενέργειας."
)


def test_japanese_korean_greek_and_cyrillic_are_no_mojibake():
    # wide text that reads as no Chinese: Japanese, Korean, Greek and Russian as written
    assert looks_mojibake(BODY_JA * 2) is None
    assert looks_mojibake(BODY_KO * 2) is None
    assert looks_mojibake(BODY_JA + BODY_ZH) is None
    assert looks_mojibake(BODY_RU * 2) is None
    assert looks_mojibake(BODY_EL * 2) is None
    # one line over and over: too few characters to judge by the most frequent ones
    assert looks_mojibake("- 此回复已被删除！\n" * 18) is None


def test_a_diagram_of_box_drawing_and_circled_numbers_in_a_latin_text_is_no_mojibake():
    diagram = "\n".join(f"│ {chr(0x2460 + i)} Module {i}: parser and evaluation │\n├─ step {i} ┤"
                         for i in range(12))
    text = f"The system comprises twelve modules, as the figure shows:\n{diagram}\nEach runs."
    assert looks_mojibake(text) is None
    # a Chinese post's directory tree in <pre>, beside its prose
    tree = "\n".join(f"├── src{i}/\n│   └── 模組{i}.py" for i in range(40))
    assert looks_mojibake(f"{BODY_ZH}\n{tree}\n{BODY_ZH}") is None


def test_wrong_readings_into_japanese_and_korean_codecs_are_mojibake():
    # Chinese bytes read as Shift_JIS (kanji and half-width katakana), UTF-8 Japanese read as
    # Shift_JIS (縺 繧 繝...), GBK read as EUC-KR (hangul spread over rare syllables)
    gbk_as_sjis = (BODY_ZH * 2).encode("gb18030").decode("shift_jis", errors="ignore")
    assert looks_mojibake(gbk_as_sjis).startswith("implausible Chinese")
    utf8_as_sjis = (BODY_JA * 2).encode("utf-8").decode("shift_jis", errors="ignore")
    assert looks_mojibake(utf8_as_sjis).startswith("implausible Chinese")
    gbk_as_euckr = (BODY_ZH * 2).encode("gb18030").decode("euc-kr", errors="ignore")
    assert looks_mojibake(gbk_as_euckr).startswith("implausible Chinese")
    # and into Windows-1251 or ISO 8859-7: long runs, upper and lower case mixed
    gbk_as_cp1251 = (BODY_ZH * 2).encode("gb18030").decode("cp1251", errors="ignore")
    assert looks_mojibake(gbk_as_cp1251) is not None
    big5_as_greek = (BODY_TW * 2).encode("big5hkscs").decode("iso8859-7", errors="ignore")
    assert looks_mojibake(big5_as_greek) is not None


def test_looks_mojibake_latin1_reading_of_chinese():
    gbk_as_latin1 = BODY_ZH.encode("gb18030").decode("latin-1")
    assert "Latin-1" in looks_mojibake(gbk_as_latin1)
    assert looks_mojibake("Ça coûte déjà très cher à Noël, réservé à l'hôtel. " * 5) is None
