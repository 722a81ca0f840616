"""Forum threads and Q&A answers: the post the URL addresses, not the replies around it.
The pages are written here in the markup of Discuz! X and of Zhihu answer pages."""

from __future__ import annotations

from crawler.extract import extract

TOPIC = ("我的电脑分辨率是2560*1440，登录游戏后全屏显示有的地方看不到了，"
         "调了分辨率也没用，这是什么问题？")
REPLIES = ["我知道，只有回去翻下之前的网页浏览记录了，大概半年前调过的。",
           "试试在显卡设置里关掉缩放。"]


def discuz_page() -> bytes:
    posts = "".join(
        f'<div id="post_{5000 + i}"><table><tr><td class="pls"><div class="authi">'
        f'<a href="home.php?mod=space&amp;uid={100 + i}" class="xw1">用户{i}</a></div></td>'
        f'<td class="plc"><div class="authi"><em id="authorposton{5000 + i}">发表于 '
        f'2024-3-1{i} 20:15</em></div><div class="t_fsz"><table><tr>'
        f'<td class="t_f" id="postmessage_{5000 + i}">{text}</td></tr></table></div>'
        f'</td></tr></table></div>'
        for i, text in enumerate([TOPIC, *REPLIES]))
    return (f'<html><head><meta charset="utf-8"><title>游戏全屏问题 - 建议反馈 - 官方论坛 - '
            f'Powered by Discuz!</title></head><body><div id="hd"><a href="/">论坛首页</a>'
            f'<a href="/member.php?mod=register">立即注册</a></div><div id="pt">'
            f'<a href="/">论坛</a> › <a href="/forum-2-1.html">建议反馈</a></div>'
            f'<h1 class="ts"><span id="thread_subject">游戏全屏问题，希望大家能出个主意！！'
            f'</span></h1><div id="postlist">{posts}</div><div id="ft">Powered by Discuz! X3.4'
            f'</div></body></html>').encode()


def test_discuz_thread_gives_the_topic_post():
    url = "https://bbs.example.com/forum.php?mod=viewthread&tid=38733&extra="
    article = extract(discuz_page(), url, "text/html")
    assert article["text"] == TOPIC
    assert article["title"] == "游戏全屏问题，希望大家能出个主意！！"
    assert article["author"] == "用户0"
    assert article["published"].startswith("2024-03-10")
    assert article["extra"]["adapter"] == "discuz"


def test_discuz_post_named_by_the_url():
    url = "https://bbs.example.com/forum.php?mod=redirect&goto=findpost&ptid=38733&pid=5001"
    assert extract(discuz_page(), url, "text/html")["text"] == REPLIES[0]


ANSWERS = {
    "2916374892": "这是确实有震感，但是这样的强度不会造成基础设施的损坏。我们平常注意信息就好。",
    "2915543920": "这是去年九月份以后泸定第三次较强余震，震中烈度6度左右，四川盆地西部普遍有感。",
}


def zhihu_page(first: str) -> bytes:
    order = [first] + [a for a in ANSWERS if a != first]
    items = "".join(
        f'<div class="ContentItem AnswerItem" name="{aid}"><div class="AuthorInfo">'
        f'<meta itemprop="name" content="答主{aid[-2:]}"></div><meta itemprop="dateCreated" '
        f'content="2023-02-28T22:10:00.000Z"><div class="RichContent"><span class="RichText '
        f'ztext"><p>{ANSWERS[aid]}</p></span></div></div>' for aid in order)
    head, *rest = items.split('<div class="ContentItem', 2)[1:]
    question = "泸定县发生4.8级地震，当地情况如何？"
    return (f'<html><head><meta charset="utf-8"><title>{question} - 知乎</title></head><body>'
            f'<h1 class="QuestionHeader-title">{question}</h1>'
            f'<div class="QuestionAnswer-content"><div class="ContentItem{head}</div>'
            f'<div class="MoreAnswers"><h4>更多回答</h4><div class="ContentItem{"".join(rest)}'
            f'</div></body></html>').encode()


def test_zhihu_answer_named_by_the_url():
    url = "https://www.zhihu.com/question/586816837/answer/2916374892"
    article = extract(zhihu_page("2916374892"), url, "text/html")
    assert article["text"] == ANSWERS["2916374892"]
    assert article["title"] == "泸定县发生4.8级地震，当地情况如何？"
    assert article["author"] == "答主92"
    assert article["extra"]["answer_id"] == "2916374892"
