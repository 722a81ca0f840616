from __future__ import annotations

import pytest
from trafilatura.utils import load_html

from crawler.extract import extract, extract_html
from crawler.text import cleanup, generic
from crawler.text.headlines import names_the_site
from crawler.text.labels import without_repeated_labels

# --- lines -----------------------------------------------------------------------------------

ARTICLE = [
    "国家统计局今天发布数据显示，今年前两个月全国规模以上工业增加值同比增长百分之六点二。",
    "专家认为，随着一系列稳增长政策持续发力，工业生产有望继续保持平稳增长态势。",
]


@pytest.mark.parametrize(
    "line",
    [
        "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。",
        "Notice: The content above (including the pictures and videos if any) is uploaded and "
        "posted by a user of NetEase Hao, which is a social media platform and only provides "
        "information storage services.",
        "免責聲明：本內容來自平台創作者，不代表本網觀點和立場。",
        "责任编辑：张倩",
        "（责任编辑：刘洋 UN017）",
        "【责任编辑:张樵苏】",
        "(责编：杨虞波罗、岳弘彬)",
        "本文来源：中国新闻网 责任编辑：王晓_NF5619",
        "编辑：李想  审核：周明",
        "（原标题：国家统计局：全国夏粮产量再创新高）",
        "原标题：春运返程高峰 铁路增开临客",
        "封面來源丨AI制圖",
        "图片来源：视觉中国",
        "分享至",
        "打开网易新闻 查看精彩图片",
        "返回搜狐，查看更多",
        "海量资讯、精准解读，尽在新浪财经APP",
        "不用抽 不用搶 現在用APP看新聞 保證天天中獎 點我下載APP 按我看活動辦法",
        "点击上方蓝字 关注我们",
        "长按识别二维码关注我们",
        "点个在看，分享给更多朋友",
        "- END -",
        "【纠错】",
        "廣告",
        "相關新聞：長者網購被騙個案上升 警方籲提高警覺",
        "《 人民日报 》（ 2024年07月23日 03 版）",
        "2025/07/23 11:25",
        "文旅观察室07-23 12:05北京",
        "本网站所刊载信息，不代表中新社和中新网观点。 刊用本网站稿件，务经书面授权。",
        "未经授权禁止转载、摘编、复制及建立镜像，违者将依法追究法律责任。",
        "[摘要：刷单泛滥背后，是产品的本土化危机，也是国外大牛在中国曾经遇到的危机。]",
        "【摘要】专家认为，随着稳增长政策持续发力，工业生产有望保持平稳增长态势。",
        "内容摘要：进入新时代，坚定实施扩大内需战略，既是满足人民美好生活需要的必然要求。",
        "作者为科技商业观察家，“微创新”提出者，《微革命》作者。",
        "（作者系中国人民大学经济学院教授）",
        "总监制：邹 明",
        "监 制：高明勇",
        "审 读：崔向升",
        # the page's reading controls, left as a line
        "T + -",
        "A+ A-",
        "字号：大 中 小",
        "【字体：大 中 小】【打印】【关闭】",
        "[打印本页] [关闭窗口]",
        # a prompt to follow the site's social page, however long its pitch
        "香港新浪新聞現已開設Facebook專頁，讓你即時掌握本地、中國、國際新聞、財經消息及天氣、交通等生活資訊，"
        "與朋友分享！快點到Facebook Like我們的專頁！[按此 Like]",
        "歡迎加入我們的粉絲團",
        # the mobile site's prompt, a "more" link left as a line
        "3g.ifeng.com 用手机随时随地看新闻",
        "手机免费访问 外汇网",
        "更多",
        # the site's own statement, however long
        "网易声明：网易转载上述内容出于传递更多信息之目的，不表明证实其描述或赞同其观点。文章内容仅供参考，"
        "不构成投资建议。投资者据此操作，风险自担。",
    ],
)  # fmt: skip
def test_furniture_lines_go(line):
    assert cleanup.clean_lines([ARTICLE[0], line, ARTICLE[1]]) == ARTICLE


@pytest.mark.parametrize(
    "line",
    [
        # labels that start real sentences, when the sentence is long
        "来源：国家统计局的数据显示，今年上半年全国规模以上工业企业实现利润总额三万多亿元，同比增长百分之三点五，"
        "其中制造业利润增长较快，高技术制造业利润增长百分之十二。",
        "编辑部收到大量读者来信。",
        "2025年7月23日，国务院总理主持召开国务院常务会议。",
        "已有超过1亿用户下载该App，月活跃用户数仍在增长。",
        "01 价格战背后是产能过剩",
        "作者在书中写道，城市的记忆藏在街巷的名字里，一条老街往往就是一部地方史，"
        "而这些名字正在随着旧城改造一个个消失，值得我们用文字和影像把它们留下来。",
        "摘要这件事，看似简单，其实最考验编辑的功力。",
        "A股三大指数集体收涨",
        "大中小学生的暑期安全教育",
        "收藏家说，这件藏品值得打印出来挂在墙上。",
        "他在Facebook專頁上說，這項政策不會改變，並呼籲市民加入討論。",
        "外交部声明：中方坚决反对任何国家以任何借口干涉中国内政。",
        "更多市民选择用手机看病挂号，医院排队时间明显缩短。",
    ],
)  # fmt: skip
def test_article_lines_stay(line):
    assert cleanup.clean_lines([line]) == [line]


def test_trailing_editor_credit_is_cut_from_the_paragraph():
    line = "疾管署提醒，高風險族群應把握時間儘早接種。（編輯：陳仁華）1140723"
    assert cleanup.clean_lines([line]) == ["疾管署提醒，高風險族群應把握時間儘早接種。"]


def test_recommendation_heading_with_its_titles_ends_the_article():
    lines = [*ARTICLE, "往期推荐", "光伏组件出口创新高", "一文看懂虚拟电厂"]
    assert cleanup.clean_lines(lines) == ARTICLE
    # not when long paragraphs follow: then it is a section of the article
    assert cleanup.clean_lines(["相关阅读", *ARTICLE]) == ["相关阅读", *ARTICLE]


# --- the DOM ---------------------------------------------------------------------------------


def test_block_lines():
    tree = load_html(
        "<html><body><div id='c' style='visibility: hidden'>"
        "<p>第一段，<span>有行内</span>元素。</p>"
        "第二段直接在容器里<br>第三段在换行后"
        "<p style='display:none'>隐藏的原标题</p>"
        "<p><a href='/x'>相关文章的标题</a></p>"
        "<p>正文里有<a href='/y'>链接</a>的段落。</p>"
        "<table><tr><td>表格</td><td>一行</td></tr></table>"
        "<script>var x = '脚本';</script></div></body></html>"
    )
    container = tree.xpath("//div[@id='c']")[0]
    assert cleanup.block_lines(container) == [
        "第一段，有行内元素。",
        "第二段直接在容器里",
        "第三段在换行后",
        "正文里有链接的段落。",
        "表格 一行",
    ]


def test_densest_block_finds_text_between_line_breaks():
    paragraphs = "<br><br>".join(ARTICLE * 3)
    tree = load_html(
        "<html><body><div class='nav'><a href='/'>首页</a> <a href='/n'>新闻</a></div>"
        f"<table><tr><td class='menu'>栏目</td><td class='content'>{paragraphs}</td></tr>"
        "</table><div class='foot'>版权所有</div></body></html>"
    )
    assert cleanup.densest_block(tree).get("class") == "content"


def test_prune_comments_keeps_the_article():
    tree = load_html(
        "<html><body><div class='comment-wrap'><h1>标题</h1><p>正文</p></div>"
        "<div class='index_comment__Q5aXk'><p>网友评论</p></div>"
        "<div class='commentary'><p>评论员文章</p></div></body></html>"
    )
    cleanup.prune_comments(tree)
    text = tree.text_content()
    assert "正文" in text and "评论员文章" in text and "网友评论" not in text


def test_is_cjk():
    assert cleanup.is_cjk("国家统计局 2025 GDP data")
    assert not cleanup.is_cjk("The National Bureau of Statistics (国家统计局) said on Monday")
    assert not cleanup.is_cjk("")


def test_coverage():
    assert cleanup.coverage("\n".join(ARTICLE), ARTICLE[0]) == 1.0
    assert cleanup.coverage(ARTICLE[1], ARTICLE[0]) < 0.5
    assert cleanup.coverage("", "菜单") == 1.0  # no prose to cover


@pytest.mark.parametrize(
    ("h1", "page_title", "expected"),
    [
        ("夏季電價上路！台電：住宅用戶平均每月多繳約50元",
         "夏季電價上路！台電：住宅用戶平均每月多繳約50元 | ETtoday生活新聞 | ETtoday新聞雲",
         "夏季電價上路！台電：住宅用戶平均每月多繳約50元"),
        (None, "国务院办公厅关于进一步优化政务服务提升行政效能的意见_国务院文件_中国政府网",
         "国务院办公厅关于进一步优化政务服务提升行政效能的意见"),
        (None, "臺南市政府全球資訊網-新聞稿-本市推動校園營養午餐在地食材 比例達八成",
         "本市推動校園營養午餐在地食材 比例達八成"),
        # a blog's name in the <h1>, the post's title in <title>
        ("王喆的博客", "老家的那棵枣树_王喆_新浪博客", "老家的那棵枣树"),
        # a column name before ｜ is part of the title
        (None, "专访｜张三：我为什么要做人工智能_澎湃新闻", "专访｜张三：我为什么要做人工智能"),
        # an institution's long name after the headline goes too
        (None, "国家卫健委：全国新增确诊病例下降_中华人民共和国国家卫生健康委员会",
         "国家卫健委：全国新增确诊病例下降"),
        (None, "深圳出台新政支持首套住房-深圳市人民政府门户网站", "深圳出台新政支持首套住房"),
        # the site's name first, a headline as short as a channel's name after it
        (None, "自由電子報 - 流感再奪2命 累計20死", "流感再奪2命 累計20死"),
        # a range is no separator; a keyword list, a comma's or a colon's site name go
        (None, "[公司]绿景控股料2011年扭亏 净利1900万-2900万-财经频道-千华网",
         "[公司]绿景控股料2011年扭亏 净利1900万-2900万"),
        (None, "圣元奶粉陷入致死门 公司称将积极应对-圣元奶粉致死,圣元奶粉河北,圣元奶粉集宁-滚动",
         "圣元奶粉陷入致死门 公司称将积极应对"),
        (None, "订票电话加价遭质疑 订票电话只为人民币服务,股城网",
         "订票电话加价遭质疑 订票电话只为人民币服务"),
        (None, "中時醫療網:年節零食聰明吃 健康無負擔", "年節零食聰明吃 健康無負擔"),
    ],
)  # fmt: skip
def test_headline(h1, page_title, expected):
    heading = f"<h1>{h1}</h1>" if h1 else ""
    tree = load_html(f"<html><head><title>{page_title}</title></head><body>{heading}</body></html>")
    assert cleanup.headline(tree, h1 or page_title) == expected


@pytest.mark.parametrize(
    ("h1s", "og_title", "page_title", "expected"),
    [
        # the site's logo is the first <h1>, the headline the second
        (["某某電子報", "港口新橋 年底通車"], None, "港口新橋 年底通車 - 某某電子報",
         "港口新橋 年底通車"),
        # the page title's first part is the <h1>, however long the names after it
        (["颱風夜 兩車相撞3傷"], None,
         "颱風夜 兩車相撞3傷 | 熱門話題 | 某某社即時新聞 EXAMPLE NEWS", "颱風夜 兩車相撞3傷"),
        (["市府擴建公園 居民有感"], None, "市府擴建公園 居民有感│某某新聞網  EXAMPLE.COM",
         "市府擴建公園 居民有感"),
        # "- " after a percent sign still parts the headline from the site's name
        ([], None, "失業率今年跌11%- 某某日報網頁", "失業率今年跌11%"),
        # a clean og:title beside a logo's <h1> the <title> names
        (["某某新聞雲"], "如何推動區域合作", "如何推動區域合作 | 某某論壇 | 某某新聞雲",
         "如何推動區域合作"),
    ],
)  # fmt: skip
def test_headline_beside_the_sites_names(h1s, og_title, page_title, expected):
    meta = '<meta property="og:site_name" content="某某電子報">'
    if og_title:
        meta += f'<meta property="og:title" content="{og_title}">'
    headings = "".join(f"<h1>{h1}</h1>" for h1 in h1s)
    tree = load_html(f"<html><head><title>{page_title}</title>{meta}</head>"
                     f"<body>{headings}</body></html>")
    assert cleanup.headline(tree, page_title) == expected


def test_an_h1_that_is_the_titles_first_part_beside_a_reworded_og_title():
    headline = "總預算案出爐 社福國防增幅最大 在野黨揚言刪減"
    tree = load_html(f"<html><head><title>{headline} - 某某時報電子報</title>"
                     "<meta property='og:title' content='總預算2.9兆 社福國防增最多'>"
                     f"</head><body><h1>{headline}</h1></body></html>")
    assert cleanup.headline(tree, None) == headline


def test_zero_width_characters_leave_a_title():
    assert generic.clean_space("\u200b《旅遊》前進南美 五部曲\ufeff") == "《旅遊》前進南美 五部曲"


def test_an_og_title_holding_the_opening_sentences_is_no_title():
    title = "世界新聞網-北美華文新聞、華商資訊 - 打工起家 重慶男子 蓋35洋房送村民"
    og_title = ("打工起家 重慶男子 蓋35洋房送村民 - 重慶30多歲男子高強在外工作多年，出資1000萬元"
                "修建小洋樓。在昨日，35戶村民住進新房。")
    tree = load_html(f"""<html><head><title>{title}</title>
<meta property="og:title" content="{og_title}"></head><body></body></html>""")
    assert cleanup.headline(tree, None) == "打工起家 重慶男子 蓋35洋房送村民"


@pytest.mark.parametrize("page_title", ["新浪网", "正文", "新闻中心_新浪网", "www.example.com.cn",
                                        "某某日报", "某某论坛", "開發者社區"])
def test_headline_of_a_page_titled_by_its_site_is_its_own_h1(page_title):
    # the page title names the site or the page type only: the headline is the <h1> that is
    # not the linked logo, nor a channel's name
    tree = load_html(f"""<html><head><title>{page_title}</title>
<meta property="og:site_name" content="某某日报"></head><body>
<div class="logo"><h1><a href="/">新浪网</a></h1></div><h1>国际新闻</h1>
<h1 class="title">国务院召开常务会议部署稳经济措施</h1></body></html>""")
    assert cleanup.headline(tree, page_title) == "国务院召开常务会议部署稳经济措施"


def test_short_headline_is_not_taken_for_a_site_name():
    tree = load_html("""<html><head><title>春节档观察</title></head><body>
<h1>春节档观察</h1><h1>国际新闻</h1></body></html>""")
    assert cleanup.headline(tree, None) == "春节档观察"
    # a forum's name ends an event's headline too: where the <h1> repeats it, it stays
    tree = load_html("<html><head><title>中国发展高峰论坛</title></head><body>"
                     "<h1>中国发展高峰论坛</h1><h1>国际新闻</h1></body></html>")
    assert cleanup.headline(tree, None) == "中国发展高峰论坛"
    # a short title ending like a site name, with no other <h1>, stays
    tree = load_html("<html><head><title>他为何走上舞台</title></head>"
                     "<body><h1>他为何走上舞台</h1></body></html>")
    assert cleanup.headline(tree, None) == "他为何走上舞台"


# --- through extract() -----------------------------------------------------------------------


def chinese_page(body: str, after: str = "") -> str:
    return f"""<html><head><meta charset="utf-8"><title>老旧小区改造惠及三万户_本地新闻_某某网</title>
</head><body><div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/local">本地</a></div>
<h1>老旧小区改造惠及三万户</h1><div class="info">发布时间：2025-07-23 10:00 来源：某某日报</div>
{body}{after}<div class="footer">某某网 版权所有 京ICP备12345678号</div></body></html>"""  # noqa: E501


PARAGRAPHS = [
    "今年以来，本市持续推进老旧小区改造工作，已完成改造项目一百二十个，惠及居民三万余户。",
    "在改造过程中，街道充分听取居民意见，重点解决了停车难、充电难、出行难等问题。",
    "居民李女士说，以前下雨天楼道里到处是水，现在墙面重新粉刷了，还装了电梯，生活方便多了。",
    "下一步，市住建委将继续推进改造工作，力争年底前再完成一批项目，让更多居民受益。",
]
COMMENTS = [
    "这个政策好，我们小区什么时候能改？希望早点轮到我们，老人上下楼太难了。",
    "改造是好事，但施工期间噪音太大了，希望能合理安排时间，不要影响休息。",
    "停车问题还是没有彻底解决，晚上回来经常找不到车位，希望继续想办法。",
]


def test_text_between_line_breaks_beats_comments_in_paragraphs():
    html = chinese_page(
        '<div class="art">' + "<br><br>".join(PARAGRAPHS) + "</div>",
        '<div class="talk">' + "".join(f'<div class="item"><p>{c}</p></div>' for c in COMMENTS)
        + "</div>",
    )
    result = extract(html.encode(), "https://news.example.cn/2025/0723/a.html", "text/html")
    assert result["text"] == "\n".join(PARAGRAPHS)
    assert result["title"] == "老旧小区改造惠及三万户"
    assert result["published"] == "2025-07-23T10:00:00+08:00"


def test_furniture_inside_the_body_goes():
    body = (
        '<div class="art"><p>（原标题：改造惠民生）</p>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "<p>责任编辑：王晓</p><p>特别声明：本文转载仅为传播信息，不代表本网观点。</p></div>"
    )
    result = extract_html(chinese_page(body), "https://news.example.cn/2025/0723/a.html")
    assert result["text"] == "\n".join(PARAGRAPHS)


def test_latin_pages_are_left_to_trafilatura():
    # The Chinese cleaning does not touch English text, even with Chinese-looking labels.
    html = (
        "<html><head><title>Council vote</title></head><body><article><h1>Council vote</h1>"
        "<p>The council voted 5-2 on Tuesday night to add protected bike lanes on Main Street.</p>"
        "<p>Editor: this line is part of the article in this test.</p>"
        "<p>Construction is expected to begin in September, the city said on Wednesday.</p>"
        "</article></body></html>"
    )
    result = extract_html(html, "https://news.example.com/a")
    assert "Editor: this line is part of the article in this test." in result["text"]


def test_is_menu():
    portal = "\n".join(["登录", "新 闻", "网 页", "贴 吧", "知 道", "MP3", "图 片", "视 频",
                        "把百度设为主页", "关于百度", "京ICP证030173号"])
    assert cleanup.is_menu(portal)
    assert not cleanup.is_menu("\n".join(ARTICLE))
    # a short post or a poem of a few lines is not a menu
    assert not cleanup.is_menu("床前明月光\n疑是地上霜\n举头望明月\n低头思故乡")


def test_a_portal_page_is_no_article():
    links = "".join(f"<li><a href='/{i}'>{label}</a></li>" for i, label in enumerate(
        ["新闻", "网页", "贴吧", "知道", "音乐", "图片", "视频", "地图", "百科", "文库"]))
    page = (f"<html><head><meta charset='utf-8'><title>搜索一下</title></head><body>"
            f"<ul id='nav'>{links}</ul><form><input name='wd'><input type='submit' "
            f"value='搜索'></form><p id='lg'><a href='/set'>把本站设为主页</a></p>"
            f"<p><a href='/ad'>加入推广</a> | <a href='/top'>搜索风云榜</a> | "
            f"<a href='/about'>关于我们</a></p><p>©2009 京ICP证030173号</p></body></html>")
    assert extract_html(page, "http://www.example.cn/") is None


def test_a_caption_under_every_photo_goes_and_a_lead_in_stays():
    caption = "格兰仕微波炉G80Q23YSL-Q4(R0)"
    photos = "".join(f"<p>{p}</p><p>{caption}</p>" for p in PARAGRAPHS)
    result = extract_html(chinese_page(f'<div class="art">{photos}</div>'),
                          "https://tech.example.cn/2012/0117/a.html")
    assert result["text"] == "\n".join(PARAGRAPHS)
    steps = "".join(f"<p>做法：</p><p>{p}</p>" for p in PARAGRAPHS)
    result = extract_html(chinese_page(f'<div class="art">{steps}</div>'),
                          "https://food.example.cn/2012/0117/a.html")
    assert result["text"].count("做法：") == len(PARAGRAPHS)


def test_a_placeholder_of_every_embed_goes_on_latin_pages_too():
    paragraphs = [f"Paragraph {n} of the council story, filed on Tuesday, says what the vote on "
                  "the bike lanes means for the shops on Main Street." for n in range(4)]
    body = "".join(f"<p>{p}</p><p>Tweet may have been deleted</p>" for p in paragraphs)
    html = (f"<html><head><title>Council vote</title></head><body><article><h1>Council vote"
            f"</h1>{body}</article></body></html>")
    result = extract_html(html, "https://news.example.com/a")
    assert result["text"] == "\n".join(paragraphs)


def test_a_layout_table_repeating_the_article_goes_with_its_menus():
    # trafilatura's text of an old udn.com page: the story, then the layout table holding it
    rows = ["|  |", "| 最新 \\| 發燒 \\| 哇新聞 |  |", "| 老旧小区改造惠及三万户 |",
            f"| {' '.join(PARAGRAPHS)} 【2012/01/11 聯合晚報】 |", "|  | 2012.01.11 10:25 pm |",
            "| 歷史新聞 | 轉寄 | 列印 | 討論 | 推薦 |  |"]
    assert cleanup._without_layout_rows([*PARAGRAPHS, *rows]) == PARAGRAPHS


def test_a_data_table_in_an_article_stays():
    rows = ["| 城区 | 户数 |", "| 东城 | 1.2万 |", "| 西城 | 1.8万 |"]
    assert cleanup._without_layout_rows([*PARAGRAPHS, *rows]) == [*PARAGRAPHS, *rows]


def test_a_run_of_dated_headlines_goes_a_dated_line_or_two_stays():
    teasers = ["标普评级主管：相信希腊很快就会债务违约 2012/01/17",
               "希腊债务谈判18日再度开启 专家称存在违约风险 2012/01/17",
               "- 朝鲜称半岛要打核战 今日或发射导弹 评论12707条",
               "对冲基金拒绝让步 令希腊债务违约可能性大增 (2012-01-13 07:35:01)"]
    assert cleanup.clean_lines([*ARTICLE, *teasers]) == ARTICLE
    dated = ["第一次全体会议在北京人民大会堂召开并审议通过了政府工作报告 2012/01/17",
             "第二次全体会议在北京人民大会堂召开并审议通过了预算执行报告 2012/02/17"]
    assert cleanup.clean_lines([*ARTICLE, *dated]) == [*ARTICLE, *dated]


def test_a_field_of_listed_items_repeats_with_its_values_and_stays():
    # a list of scholarships: each item's "Degree Level:" row, its value often the same
    prose = ("This scholarship pays the tuition of a year abroad, for students of any subject "
             "who apply before the spring.")
    levels = ["Bachelors", "Bachelors", "Masters", "Bachelors"]
    listed = [line for level in levels for line in (prose, f"Degree Level: {level}")]
    assert without_repeated_labels(listed) == listed
    # a caption said word for word under every photo still goes
    captioned = [line for _ in levels for line in (prose, "Photo: the council's press office")]
    assert without_repeated_labels(captioned) == [prose] * len(levels)


def test_a_chorus_a_line_of_code_or_a_price_list_repeats_and_stays():
    song = ["[Chorus]", "Purple rain, purple rain", "Purple rain, purple rain", "Verse two",
            "[Chorus]", "Purple rain, purple rain", "Purple rain, purple rain", "Verse three",
            "[Chorus]", "Purple rain, purple rain"]
    assert without_repeated_labels(song) == song
    prose = "This is the paragraph that explains what the stylesheet below is for, in full."
    code = [prose, "h2.widget-title {", prose, "h2.widget-title {", prose, "h2.widget-title {"]
    assert without_repeated_labels(code) == code
    prices = ["东方明珠", "成人票原价：60元", "豫园", "成人票原价：60元", "外滩",
              "成人票原价：60元"]
    assert without_repeated_labels(prices) == prices


def test_the_date_under_the_headline_beats_an_old_date_in_a_background_image():
    # chinanews.com, 2012: no date meta tag, no label; an image path of 2008 in a style
    html = f"""<html><head><meta charset="utf-8">
<title>上海人大代表吁逐步取消高速路收费-中新网</title></head><body><h1>上海人大代表吁逐步取消高速路收费</h1>
<div class="left-t"> 2012年01月12日 15:20\u3000来源：新民晚报</div>
<div class="art">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div>
<div style="background-image:url(/fileftp/2008/12/2008-12-30/U76P4T47D10067.jpg)">图片</div>
</body></html>"""
    result = extract_html(html, "")
    assert result["published"] == "2012-01-12T15:20:00+08:00"


def test_a_layout_table_keeps_a_cell_with_more_than_the_repeat_and_other_tables():
    rest = "另据了解，改造资金由市区两级财政共同承担，居民无需出资，工程预计明年春节前全部完工。"
    rows = [f"| {PARAGRAPHS[0]}{rest} |", "| 轉寄 | 列印 |"]
    data = ["| 年份 | 产值 |", "| 2023 | 100亿 |"]
    lines = [PARAGRAPHS[0], *rows, PARAGRAPHS[1], *data]
    assert cleanup._without_layout_rows(lines) == lines  # no row repeats: no layout table


@pytest.mark.parametrize(
    ("page_title", "expected"),
    [
        ("男子持刀闯入小区，警方通报", "男子持刀闯入小区，警方通报"),
        ("官方通报：某地发生地震", "官方通报：某地发生地震"),
        ("台积电营收创新高，股价上涨，外资买超-财经", "台积电营收创新高，股价上涨，外资买超"),
        ("嫌犯落网 - 央视新闻", "嫌犯落网"),
        ("深圳楼市新政出台-21世纪经济报道", "深圳楼市新政出台"),
        ("夺冠！3比0！中国女排卫冕", "夺冠！3比0！中国女排卫冕"),
    ],
)  # fmt: skip
def test_headlines_that_look_like_site_names_stay(page_title, expected):
    tree = load_html(f"<html><head><title>{page_title}</title></head><body></body></html>")
    assert cleanup.headline(tree, page_title) == expected


def test_a_chronology_and_a_phone_sentence_stay():
    chronology = ["- 香港结束英国殖民统治，正式回归祖国，特别行政区成立 1997年7月1日",
                  "- 澳门结束葡萄牙殖民统治，正式回归祖国，特别行政区成立 1999年12月20日",
                  "- 第二十九届夏季奥林匹克运动会在北京国家体育场隆重开幕 2008年8月8日"]
    assert cleanup.clean_lines([*ARTICLE, *chronology]) == [*ARTICLE, *chronology]
    phone = "越来越多的老人学会了用手机浏览资讯"
    assert cleanup.clean_lines([phone]) == [phone]


def test_a_story_beside_a_teaser_list_trafilatura_takes_is_the_densest_block():
    # the story in a table cell's lines, ten teasers in an <article>'s paragraphs: trafilatura
    # takes the teasers, a list of the page's links; the story is the page's densest prose
    story = ["集團被砲轟是黑心企業，不僅賣黑心油，還把債務留給台灣！財報有驚人發現，負債比七成。",
             "生產線裡，這一包包泡麵就是集團在大陸站穩腳步的根基，佔有六成市佔率，在大陸好風光。",
             "財經專家表示，留在台灣的都是質押的資產以及大筆債務，到時銀行拿不到錢，就由全民買單。"]
    teasers = "".join(
        f"<p><a href='/p/{i}'>第{i}則節目預告：本週節目邀請專家深入剖析年底的汽車銷售潮，日圓狂貶"
        "加上油價下探，這個時候是買車的最好時機嗎？</a></p>" for i in range(10))
    html = ("<html><head><title>債留台灣│某某新聞網</title></head><body><h1>債留台灣</h1>"
            f"<table><tr><td>{'<br><br>'.join(story)}</td></tr></table>"
            f"<article>{teasers}</article></body></html>")
    result = extract(html.encode(), "https://news.example.com.tw/a/1", "text/html")
    assert result is not None and result["text"].splitlines() == story


def test_a_page_titled_by_its_sites_slogan_takes_the_heading_over_its_story():
    slogan = "某某傳媒　一個有國際觀的新媒體！"
    story = "".join(
        f"<p>第{i}段：國際油價繼續下跌，紐約股市三大指數全部收跌，為今年以來最大單周跌幅，"
        "市場擔憂原油供過於求，能源類股領跌，投資人轉向避險資產，公債殖利率同步走低。</p>"
        for i in range(5))
    html = (f"<html><head><title>{slogan}</title><meta property='og:site_name' "
            f"content='{slogan}'></head><body><div class='logo'>某某傳媒</div>"
            f"<h3>油價跌跌不休 重挫歐美股市</h3><div class='content'>{story}</div></body></html>")
    result = extract(html.encode(), "https://news.example.com.tw/a/2", "text/html")
    assert result is not None and result["title"] == "油價跌跌不休 重挫歐美股市"
    # a teaser's short excerpt under its heading is no story: the title stays the site's
    teaser = html.replace(story, "<p>國際油價繼續下跌，紐約股市三大指數全部收跌……[詳細]</p>")
    tree = load_html(teaser)
    assert cleanup.article_headline(tree, slogan) == " ".join(slogan.split())
    # ...nor is a breadcrumb trail's or a sidebar's heading before the story
    for furniture in ("<h2>首頁 > 財經 > 焦點</h2>",
                      "<div class='sidebar'><h3>編輯精選</h3></div>"):
        tree = load_html(html.replace("<h3>油價跌跌不休 重挫歐美股市</h3>", furniture))
        assert cleanup.article_headline(tree, slogan) == " ".join(slogan.split())


def test_a_table_layout_titled_by_its_site_takes_the_line_over_its_story():
    # no heading element at all: the headline is a table cell's line above the story's cell
    story = "<br><br>".join(
        f"第{i}段：中風年齡越來越年輕，醫師表示年輕人中風多半和先天性的血管異常有關，"
        "建議有家族病史的高危險群到醫院詳細檢查，及早發現及早治療。" for i in range(5))
    html = ("<html><head><title>某某電視台 新聞網</title>"
            "<meta property='og:title' content='-某某新聞網'></head><body>"
            "<table><tr><td><a href='/'>某某新聞網</a> &gt; <a href='/c/3'>醫療</a></td></tr>"
            "<tr><td align='left'>中風年輕化 十四歲少年腦溢血</td></tr>"
            f"<tr><td>{story}</td></tr></table></body></html>")
    result = extract(html.encode(), "https://news.example.org.tw/a/3", "text/html")
    assert result is not None and result["title"] == "中風年輕化 十四歲少年腦溢血"
    # a link's line or a sentence's clause just above the story is no headline
    for line in ("<a href='/a/2'>中風年輕化 十四歲少年腦溢血</a>", "記者某某／台北報導："):
        tree = load_html(html.replace("中風年輕化 十四歲少年腦溢血", line))
        assert names_the_site(tree, cleanup.article_headline(tree, "-某某新聞網"))


def test_a_short_story_stays_whole_beside_a_denser_notice_after_it():
    # the story: a lead and a list of short lines; after it, related links and a notice of
    # the site's denser than the story. trafilatura takes both; the densest block is the
    # notice, and the story, its lead between the headline and the notice, stays
    lead = ("据本网统计，昨日晚间微博上网友热议的话题中，演员悬赏征集代笔证据、主持人节目又起争议"
            "等仍居前列。此外，春节晚会、新上映电影等话题也受到网友关注。")
    topics = [f"热议话题第{i}则({i * 9137})" for i in range(1, 9)]
    closing = ("网友表示希望相关方面尽快回应还原事实真相并希望大家在网上理性讨论"
               "而不是跟风转发未经证实的消息。")
    notice = ("信息公告，即刻知道。免费订阅，短信提醒。实时发布，全年无休。"
              "欢迎登录，立即体验。</p><p>"
              "上市公司，基金港股。监管文件，各类公告。行业地区，按需定制。重要公告，一分钟达。</p><p>"
              "热点汇集，每日更新。机构观点，一网打尽。行情变化，及时掌握。")
    related = "".join(f"<li><a href='/n/{i}'>相关新闻标题第{i}条</a></li>" for i in range(6))
    html = ("<html><head><title>微博热议：网友关注春节话题_某某证券网</title></head><body>"
            "<div class='txt'><h1>微博热议：网友关注春节话题</h1>"
            f"<div class='txt_con'><p>{lead}</p>{''.join(f'<p>{t}</p>' for t in topics)}"
            f"<p>{closing}</p>"
            "（本网快讯中心）</div></div>"
            f"<div class='about'><h2>相关新闻</h2><ul>{related}</ul></div>"
            f"<div class='other'><p>{notice}</p></div></body></html>")
    result = extract(html.encode(), "https://kuaixun.example.com.cn/a/1.htm", "text/html")
    assert result is not None
    assert lead in result["text"] and all(topic in result["text"] for topic in topics)
    assert closing in result["text"]
