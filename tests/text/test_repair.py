import pytest

from crawler.text.repair import repair_misread_utf8


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1252", "Don’t miss the café’s ‘crème brûlée’ – €5"),
        ("cp1251", "“Quoted,” says François Lévesque of the Universität – © 2012"),
        ("latin-1", "L'été à Noël, déjà réservé"),
    ],
)
def test_utf8_read_as_a_single_byte_charset_is_read_back(codec, text):
    misread = text.encode("utf-8").decode(codec)
    assert misread != text
    assert repair_misread_utf8(misread) == text


@pytest.mark.parametrize(
    "text",
    [
        "Plain English, no accents at all.",
        "L'été dernier — « déjà » vu, à Noël…",
        # Cyrillic as written: letters a Windows-1251 reading of UTF-8 would also show
        "Україна і Росія: переговори продовжаться — заявив міністр «сьогодні».",
        "Москва — столица России, ёлка, «Известия»…",
        "国家统计局今天发布数据显示，全国规模以上工业增加值同比增长。",
        "Ελληνικά κείμενα — «ειδήσεις».",
        # one trace: a Portuguese capital before a symbol, or an article about mojibake
        "IRMÃ» é o nome da loja.",
        "The Ã© symbol is what é becomes when UTF-8 is read as Latin-1.",
        "",
    ],
)
def test_text_as_written_is_left_alone(text):
    assert repair_misread_utf8(text) == text


def test_one_misread_quotation_mark_is_enough():
    assert repair_misread_utf8("Dr. Mayer EisensteinвЂ™s diet") == "Dr. Mayer Eisenstein’s diet"
    assert repair_misread_utf8("the councilâ€™s plan") == "the council’s plan"
    # read as Latin-1, the quotation marks' last two bytes are control characters
    assert repair_misread_utf8("dye could \u00e2\x80\x98save lives\u00e2\x80\x99") == (
        "dye could ‘save lives’")


def test_none_stays_none():
    assert repair_misread_utf8(None) is None
