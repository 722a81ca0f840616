"""MediaWiki articles: the prose, without edit links, boxes, infobox and back matter.
The page is written here in the markup MediaWiki renders (Vector skin, zh.wikipedia)."""

from __future__ import annotations

from crawler.extract import extract

PROSE = [
    "雄安新区是中国第19个国家级新区，位于河北省保定市东部，由雄县、容城县、安新县及其周边部分地区组成[3]。",
    "2017年4月1日，中共中央、国务院印发通知，决定设立河北雄安新区，定位为北京非首都功能疏解集中承载地。",
    "新区规划建设以特定区域为起步区先行开发，中期发展区面积约二百平方公里，远期控制区面积约两千平方公里。",
]


def wiki_page(heading_wrapper: bool = False) -> bytes:
    def h2(text: str) -> str:
        heading = (f'<h2 id="{text}">{text}</h2><span class="mw-editsection">'
                   f'<span class="mw-editsection-bracket">[</span><a href="#">编辑</a>'
                   f'<span class="mw-editsection-bracket">]</span></span>')
        return f'<div class="mw-heading mw-heading2">{heading}</div>' if heading_wrapper \
            else f"<h2>{heading}</h2>".replace(f'<h2 id="{text}">{text}</h2>', text)

    return (
        '<html lang="zh"><head><meta charset="utf-8"><title>雄安新区 - 维基百科，自由的百科全书'
        '</title></head><body><div id="mw-navigation"><a href="/">首页</a><a href="/r">随机条目'
        '</a></div><h1 id="firstHeading"><span class="mw-page-title-main">雄安新区</span></h1>'
        '<div id="mw-content-text"><div class="mw-parser-output">'
        '<table class="box-Current ambox"><tr><td>此条目讲述处于施工或详细规划阶段的工程。</td>'
        '</tr></table><table class="infobox"><tr><th>行政区划代码</th><td>133100</td></tr>'
        '</table>'
        f"<p>{PROSE[0]}</p>"
        '<div id="toc" class="toc"><ul><li>1 历史沿革</li><li>2 参考文献</li></ul></div>'
        f"{h2('历史沿革')}<p>{PROSE[1]}</p><p>{PROSE[2]}</p>"
        f"{h2('参考文献')}<div class=\"reflist\"><ol class=\"references\"><li>^ 雄安新区规划纲要."
        "新华网. 2018-04-21.</li></ol></div>"
        f"{h2('外部链接')}<ul><li>中国雄安官网</li></ul>"
        '<div class="navbox">河北省行政区划 石家庄 唐山 秦皇岛 邯郸 邢台 保定</div>'
        '</div></div><div id="catlinks" class="catlinks">分类：河北省</div></body></html>'
    ).encode()


def test_wikipedia_article_is_its_prose():
    for wrapper in (False, True):
        result = extract(wiki_page(wrapper), url="https://zh.wikipedia.org/wiki/雄安新区")
        assert result is not None and result["extra"]["adapter"] == "mediawiki"
        assert result["title"] == "雄安新区"
        assert result["text"].splitlines() == [PROSE[0], "历史沿革", PROSE[1], PROSE[2]]


def test_a_saved_copy_elsewhere_is_claimed_by_its_markup():
    result = extract(wiki_page(), url="http://127.0.0.1:8000/wiki/xiongan.html")
    assert result is not None and result["extra"]["adapter"] == "mediawiki"
    assert "参考文献" not in result["text"] and "河北省行政区划" not in result["text"]
