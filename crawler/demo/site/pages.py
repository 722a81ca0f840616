"""Pages of the offline fixture website, built from the bundled seed texts.

Each article page wraps the text of one seed file (``seeds/fixtures/*.txt``) in the
markup of the kind of site it was saved from, with the noise of the original page
(spam lines, breadcrumbs, recommendation lists, footers) placed where such sites put
it. :class:`Expected` records what a correct extraction of the page yields.
"""  # noqa: E501

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Expected",
    "Page",
    "build_site",
    "fixtures_dir",
    "seed_paths",
    "WEIBO_PATH",
    "NETEASE_PATH",
    "XINZHIYUAN_PATH",
    "FRENCH_PATH",
    "FRENCH_REDIRECT_PATH",
    "BLOG_PATH",
    "ROBOTS_PATH",
    "MISSING_PATH",
    "PDF_PATH",
    "not_found_body",
]


@dataclass(frozen=True)
class Expected:
    """What a correct extraction of an article page yields.

    ``body`` strings must all appear verbatim in a correct extraction's text;
    ``boilerplate`` strings come from the page's noise and must not appear in it.
    """

    title: str
    body: tuple[str, ...]
    boilerplate: tuple[str, ...]
    language: str
    author: str | None = None
    published: str | None = None
    sitename: str | None = None


@dataclass(frozen=True)
class Page:
    """One route of the fixture site: the bytes served and how to serve them."""

    path: str
    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    expected: Expected | None = None
    seed_file: str | None = None
    chunked: bool = False


WEIBO_PATH = "/6105753431/PqZVYv0xc"
NETEASE_PATH = "/dy/article/K4EJ8Q3L0519DTSV.html"
XINZHIYUAN_PATH = "/a/909412345_473283?spm=smpc.content.news.1"
FRENCH_PATH = "/2025/05/toloka-bezos-72-millions.html"
FRENCH_REDIRECT_PATH = "/r/toloka"
BLOG_PATH = "/blog/2025/06/scale-ai-meta.html"
ROBOTS_PATH = "/robots.txt"
MISSING_PATH = "/missing.html"
PDF_PATH = "/files/toloka-report.pdf"

_WEIBO_SEED = "000_de978af1f6993ca8.txt"
_NETEASE_SEED = "001_4c26e3f2378c05e8.txt"
_XINZHIYUAN_SEED = "002_444d1fe1138b4d93.txt"
_FRENCH_SEED = "003_7f560c660c44f70d.txt"
_BLOG_SEED = "004_ee72a92ac57acc92.txt"


def fixtures_dir() -> Path:
    """Directory holding the seed texts: ``$SEEDCRAWLER_FIXTURES`` or ``<repo>/seeds/fixtures``."""
    override = os.environ.get("SEEDCRAWLER_FIXTURES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "seeds" / "fixtures"


def seed_paths() -> list[str]:
    """The paths a crawl of the fixture site is seeded with, in order."""
    return [
        WEIBO_PATH,
        NETEASE_PATH,
        XINZHIYUAN_PATH,
        FRENCH_REDIRECT_PATH,
        BLOG_PATH,
        MISSING_PATH,
        PDF_PATH,
    ]


def build_site(fixtures: Path | None = None) -> dict[str, Page]:
    """Build every route of the fixture site from the seed texts in ``fixtures``.

    Returns a mapping of URL path (with query, if any) to :class:`Page`.
    Raises ``FileNotFoundError`` if a seed text is missing and ``ValueError`` if a
    seed text no longer has the structure (or the sentences) the page relies on.
    """
    fx = Path(fixtures) if fixtures is not None else fixtures_dir()
    pages = [
        _weibo_page(fx),
        _netease_page(fx),
        _xinzhiyuan_page(fx),
        _french_page(fx),
        _french_redirect(),
        _blog_page(fx),
        _robots_page(),
        _missing_page(),
        _pdf_page(),
    ]
    return {page.path: page for page in pages}


# --------------------------------------------------------------------------- helpers


def _read(fx: Path, name: str) -> str:
    return (fx / name).read_text(encoding="utf-8")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _index(
    lines: list[str], seed: str, predicate_text: str, *, start: int = 0, prefix: bool = False
) -> int:
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if line.startswith(predicate_text) if prefix else line == predicate_text:
            return i
    raise ValueError(
        f"{seed}: expected a line {'starting with ' if prefix else ''}{predicate_text!r}"
    )


def _validate(seed: str, main_text: str, expected: Expected) -> None:
    """Check an expectation against the article text it was written for."""
    missing = [s for s in expected.body if s not in main_text]
    if missing:
        raise ValueError(f"{seed}: body strings not found in the seed text: {missing}")
    leaked = [s for s in expected.boilerplate if s in main_text]
    if leaked:
        raise ValueError(f"{seed}: boilerplate strings occur in the article body: {leaked}")


def _html_text(post_html: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", post_html)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def _fake_id(seed: str, prefix: str, length: int = 16) -> str:
    digest = hashlib.sha1(seed.encode("utf-8")).hexdigest().upper()
    return (prefix + digest)[:length]


def _json_script(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


# --------------------------------------------------------------------------- 1. Weibo

_WEIBO_STYLE = """
*{box-sizing:border-box}body{margin:0;background:#f1f2f5;color:#333;
font:14px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}
a{color:#eb7350;text-decoration:none}.Nav_main_3yW8h{position:fixed;top:0;left:0;right:0;
height:56px;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08);z-index:9}
.Nav_wrap{display:flex;align-items:center;max-width:1200px;margin:0 auto;height:56px}
.Nav_logo{font-weight:700;font-size:22px;color:#e6162d;margin-right:24px}
.Nav_search input{width:260px;height:32px;border-radius:16px;border:0;background:#f2f2f2;
padding:0 14px}.Nav_links a{margin-left:28px;color:#333}.Frame_wrap{display:flex;
max-width:1200px;margin:72px auto 0;gap:16px}.Frame_side{width:180px}
.Frame_side a{display:block;padding:8px 14px;color:#333;border-radius:4px}
.Main_full{flex:1}.woo-panel-main{background:#fff;border-radius:6px;padding:16px 20px;
margin-bottom:12px}.head_main{display:flex;align-items:center}.head_avatar img{width:48px;
height:48px;border-radius:50%}.head_name_24eEB{font-weight:700;color:#333;font-size:15px}
.head-info_time_6sFQg,.head-info_source{color:#939393;font-size:12px}
.detail_wbtext_4CRf9{font-size:15px;line-height:26px;margin:12px 0;word-break:break-all}
.detail_wbtext_4CRf9 img{display:block;max-width:100%;margin:6px 0;border-radius:4px}
.toolbar_main{display:flex;border-top:1px solid #f2f2f2;padding-top:10px;color:#808080}
.toolbar_item{flex:1;text-align:center}.Main_side{width:300px}
.card_title{font-weight:700;padding-bottom:8px;border-bottom:1px solid #f2f2f2}
.hot_item{display:block;padding:6px 0;color:#333}.hot_item em{color:#ff8200;font-style:normal}
.wbpro-list .item1{padding:10px 0;border-bottom:1px solid #f7f7f7}
.Footer_main{max-width:1200px;margin:24px auto;color:#939393;font-size:12px;text-align:center}
"""  # noqa: E501

_WEIBO_CONFIG = """
window.$CONFIG = {
  "uid": "", "nick": "", "lang": "zh-cn", "pageid": "detail",
  "oid": "6105753431", "mid": "5164392710423471", "bid": "PqZVYv0xc",
  "version": "v2.4.11", "islogin": 0
};
window.__WB_GRAY_CONFIG__ = {"feed_detail_v7": true, "comment_fold": false};
"""  # noqa: E501

_WEIBO_TAIL_SCRIPT = """
(function () {
  var btns = document.querySelectorAll('.toolbar_item');
  for (var i = 0; i < btns.length; i++) {
    btns[i].addEventListener('click', function (e) {
      e.preventDefault();
      if (!window.$CONFIG.islogin) { location.href = 'https://passport.weibo.com/sso/signin'; }
    });
  }
})();
"""  # noqa: E501


def _weibo_page(fx: Path) -> Page:
    seed = _WEIBO_SEED
    text = _read(fx, seed)
    heading = text.split("\n", 1)[0]
    if not heading.startswith("# "):
        raise ValueError(f"{seed}: first line should be a '# ' heading")
    title = heading[2:].strip()
    start = text.find("## 原始摘要")
    end = text.find("## AI 摘要")
    if start < 0 or end < start:
        raise ValueError(f"{seed}: expected '## 原始摘要' followed by '## AI 摘要'")
    post_html = text[start + len("## 原始摘要") : end].strip()
    post_text = _html_text(post_html)

    hot = [
        ("#AI眼镜会是下一个手机吗#", "科技新知", "戴了一周，说说真实体验和槽点", "3.2万"),
        ("#年轻人开始流行存钱搭子#", "新浪财经", "每月一起存够两千，你有存钱搭子吗", "2.8万"),
        ("#人形机器人上岗第一天#", "环球科学", "工厂里的机器人到底能干点啥", "1.9万"),
        ("#五一假期出游人次创新高#", "央视新闻", "热门景区客流一图看懂", "1.6万"),
        ("#程序员转行做数据标注#", "IT之家", "时薪翻倍了，但门槛也变高了", "9847"),
        ("#大模型价格战又来了#", "36氪", "百万tokens只要几毛钱", "8312"),
    ]
    comments = [
        (
            "赛博打工人",
            "25-5-8 22:31 来自北京",
            "数据标注这行终于要翻身了，以前都说是AI流水线上的苦力",
            212,
        ),
        (
            "深度学习小学生",
            "25-5-8 22:48 来自上海",
            "监督微调听起来高大上，其实就是请专家来批改作业",
            96,
        ),
        ("吃瓜的程序员", "25-5-9 08:05 来自广东", "贝索斯的嗅觉一直很灵[doge]", 31),
    ]
    expected = Expected(
        title=title,
        body=(
            "据路透社报道，贝索斯的家族基金，领投了7200万美元，重金押注AI数据公司Toloka。",
            "Toloka专注于为AI模型提供全流程数据服务，特别是在模型微调过程中，"
            "引入大量人类专家进行监督微调（SFT）。",
            "除了监督微调，该公司还聚焦直接偏好优化（DPO）、人类反馈强化学习（RLHF）的用户偏好数据收集。",
            "Toloka隶属于总部位于阿姆斯特丹的AI基础设施公司Nebius Group。",
            "完成了总额54亿美元的重组，使其首次具备接受欧美投资的资格。",
            "本轮融资还有两个看点：",
            "Shopify CTO Mikhail Parakhin参投并将出任Toloka董事会执行主席；",
            "原母公司Nebius虽然保留多数经济权益，但放弃控股权，Toloka将以更独立的姿态运营。",
            "值得一提的是，去年底英伟达也曾向Nebius投资7亿美元，显示出对该公司的高度认可。",
            "专注人类协作与高质量数据处理的公司，或将成为推动AI落地的关键。",
        ),
        boilerplate=(
            "#AI眼镜会是下一个手机吗#",
            "#年轻人开始流行存钱搭子#",
            "你可能感兴趣的人",
            "大家都在搜",
            "数据标注这行终于要翻身了",
            "监督微调听起来高大上，其实就是请专家来批改作业",
            "北京微梦创科网络技术有限公司",
            "京ICP证100780号",
        ),
        language="zh",
        author="新智元",
        published="2025-05-08",
        sitename="微博",
    )
    _validate(seed, post_text, expected)

    images = re.findall(r'<img[^>]*\ssrc="([^"]+)"', post_html)
    description = re.sub(r"\s+", " ", post_text).strip()[:120]
    hot_html = "\n".join(
        f'<a class="hot_item" href="https://s.weibo.com/weibo?q={_attr(tag)}" '
        f'target="_blank"><span class="hot_rank">{i}</span> {_esc(tag)} '
        f'<span class="hot_desc">{_esc(desc)}</span> <em>{_esc(heat)}</em>'
        f'<span class="hot_from">{_esc(src)}</span></a>'
        for i, (tag, src, desc, heat) in enumerate(hot, 1)
    )
    comments_html = "\n".join(
        f'<div class="item1"><div class="con1"><div class="avatar"><img '
        f'src="https://tvax1.sinaimg.cn/crop.0.0.180.180.50/default_avatar_{i}.jpg" alt=""></div>'
        f'<div class="text"><a href="https://weibo.com/n/{_attr(name)}" '
        f'usercard="name={_attr(name)}">'
        f"{_esc(name)}</a>:<span>{_esc(body)}</span></div>"
        f'<div class="info"><div class="time">{_esc(when)}</div><div class="opt">'
        f'<a href="javascript:;">回复</a> <a href="javascript:;" class="like">赞 {likes}</a>'
        f"</div></div></div></div>"
        for i, (name, when, body, likes) in enumerate(comments, 1)
    )
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)} - 微博</title>
<meta name="description" content="{_attr(description)}">
<meta name="keywords" content="新智元,微博,随时随地发现新鲜事,贝索斯,Toloka,监督微调">
<meta property="og:type" content="article">
<meta property="og:title" content="{_attr(title)}">
<meta property="og:description" content="{_attr(description)}">
<meta property="og:url" content="https://weibo.com/6105753431/PqZVYv0xc">
<meta property="og:image" content="{_attr(images[0] if images else "")}">
<meta property="og:site_name" content="微博">
<link rel="canonical" href="https://weibo.com/6105753431/PqZVYv0xc">
<link rel="alternate" media="only screen and (max-width: 640px)" href="https://m.weibo.cn/status/PqZVYv0xc">
<style>{_WEIBO_STYLE}</style>
<script>{_WEIBO_CONFIG}</script>
</head>
<body>
<div id="app" class="woo-box-flex woo-box-column Frame_wrap_16as0">
<header class="Nav_main_3yW8h" role="banner">
 <div class="Nav_wrap">
  <a class="Nav_logo" href="https://weibo.com/" title="微博">微博</a>
  <form class="Nav_search" action="https://s.weibo.com/weibo" method="get">
   <label for="nav-search" class="woo-input-label">大家都在搜：</label>
   <input id="nav-search" name="q" type="search" placeholder="贝索斯 Toloka 数据标注">
  </form>
  <nav class="Nav_links">
   <a href="https://weibo.com/">首页</a><a href="https://weibo.com/tv">视频</a>
   <a href="https://weibo.com/hot/weibo/102803">发现</a><a href="https://game.weibo.com/">游戏</a>
   <a href="https://passport.weibo.com/sso/signin">登录/注册</a>
  </nav>
 </div>
</header>
<div class="Frame_wrap">
 <nav class="Frame_side" aria-label="侧栏导航">
  <a href="https://weibo.com/">首页</a>
  <a href="https://weibo.com/hot/weibo/102803">热门微博</a>
  <a href="https://s.weibo.com/top/summary">热搜榜</a>
  <a href="https://weibo.com/mygroups?gid=1">特别关注</a>
  <a href="https://weibo.com/mygroups?gid=2">最新微博</a>
  <a href="https://weibo.com/mygroups?gid=3">好友圈</a>
 </nav>
 <main class="Main_full">
  <article class="woo-panel-main Feed_wrap_3v9LH Detail_feed_3iffy">
   <header class="woo-box-flex head_main">
    <a class="head_avatar" href="https://weibo.com/u/6105753431"><img
      src="https://tvax1.sinaimg.cn/crop.0.0.512.512.180/006Fd7o3ly8h0avatar.jpg" alt="新智元"></a>
    <div class="head_info">
     <a class="ALink_default_2ibt1 head_name_24eEB" href="https://weibo.com/u/6105753431"
        usercard="id=6105753431"><span title="新智元">新智元</span></a>
     <span class="woo-icon-wrap head_vip" title="微博官方认证">V</span>
     <div class="head-info_info_2AspQ">
      <a class="head-info_time_6sFQg" href="https://weibo.com/6105753431/PqZVYv0xc"
         title="2025-05-08 22:17">25-5-8 22:17</a>
      <span class="head-info_source">来自 微博网页版</span>
     </div>
    </div>
    <button class="woo-button-main follow_btn" type="button">+ 关注</button>
   </header>
   <div class="Feed_body_3R0rO">
    <div class="detail_text_1U10O detail_ogText_2Z1Q8 detail_wbtext_4CRf9">
{post_html}
    </div>
   </div>
   <footer class="toolbar_main" aria-label="转发 评论 赞">
    <a class="toolbar_item" href="javascript:;" title="转发">转发 23</a>
    <a class="toolbar_item" href="javascript:;" title="评论">评论 17</a>
    <a class="toolbar_item" href="javascript:;" title="赞">赞 186</a>
   </footer>
  </article>
  <section class="woo-panel-main RepostCommentList_mar1">
   <div class="tab_bar"><span class="cur">按热度</span> <span>按时间</span></div>
   <div class="wbpro-list">
{comments_html}
   </div>
   <a class="more_comments" href="javascript:;">查看全部17条评论</a>
  </section>
 </main>
 <aside class="Main_side">
  <div class="woo-panel-main card_hot">
   <div class="card_title">热门推荐</div>
{hot_html}
  </div>
  <div class="woo-panel-main card_user">
   <div class="card_title">你可能感兴趣的人</div>
   <a class="hot_item" href="https://weibo.com/u/5703921756">量子位 <em>AI科技媒体</em></a>
   <a class="hot_item" href="https://weibo.com/u/3996876140">机器之心 <em>专业的人工智能媒体</em></a>
   <a class="hot_item" href="https://weibo.com/u/1750070171">36氪 <em>让一部分人先看到未来</em></a>
  </div>
 </aside>
</div>
<footer class="Footer_main">
 <p><a href="https://kefu.weibo.com/">客服中心</a> | <a href="https://help.weibo.com/">自助服务</a> |
  <a href="https://weibo.com/aj/static/jww.html">合作&amp;服务</a> |
  <a href="https://help.weibo.com/newtopic/">帮助</a> | <a href="https://weibo.com/signup">注册</a></p>
 <p>Copyright &copy; 2009-2025 WEIBO 北京微梦创科网络技术有限公司
  <a href="https://beian.miit.gov.cn/">京ICP证100780号</a> 京网文[2023]3024-090号</p>
</footer>
</div>
<script>{_WEIBO_TAIL_SCRIPT}</script>
</body>
</html>
"""  # noqa: E501
    return Page(
        path=WEIBO_PATH,
        body=doc.encode("utf-8"),
        content_type="text/html; charset=utf-8",
        headers=(
            ("Last-Modified", "Thu, 08 May 2025 14:17:00 GMT"),
            ("Cache-Control", "no-cache"),
            ("X-Frame-Options", "SAMEORIGIN"),
        ),
        expected=expected,
        seed_file=seed,
    )


# --------------------------------------------------------------------------- 2. NetEase

_NETEASE_STYLE = """
body{margin:0;font:14px/1.8 "Microsoft YaHei",Arial,sans-serif;color:#404040;background:#fff}
a{color:#404040;text-decoration:none}a:hover{color:#e31e24}
.top_seo_banner{background:#fff7e6;color:#b26a00;font-size:12px;padding:4px 12px;overflow:hidden}
.ntes_nav_wrap{background:#f6f6f6;border-bottom:1px solid #e5e5e5;height:36px;line-height:36px}
.ntes_nav{width:1200px;margin:0 auto}.ntes_nav a{margin-right:14px;font-size:13px}
.post_crumb{width:1200px;margin:16px auto 0;color:#888;font-size:12px}
.post_crumb a{color:#888}.post_top_join{float:right;color:#e31e24!important}
.container{width:1200px;margin:0 auto;display:flex;gap:40px}.post_main{width:840px}
.post_title{font-size:32px;line-height:46px;color:#333;margin:16px 0 10px}
.post_info{color:#888;font-size:14px}.post_top_tie{margin:10px 0;color:#888}
.post_top_tie_count{font-size:18px;color:#e31e24;margin-right:4px}
.post_body{font-size:18px;line-height:32px;color:#404040}.post_body p{margin:0 0 26px}
.post_body .f_center{text-align:center;font-size:14px;color:#888}
.post_body img{max-width:100%}.post_statement{font-size:12px;color:#999;border-top:1px solid #eee}
.post_recommends h3{font-size:18px;border-left:4px solid #e31e24;padding-left:8px}
.post_recommend{display:flex;gap:12px;padding:12px 0;border-bottom:1px solid #f2f2f2}
.post_recommend_img img{width:150px;height:100px;object-fit:cover}
.post_recommend_time,.post_recommend_source{color:#999;font-size:12px;margin-right:10px}
.post_side{width:320px}.post_side_mod{margin-bottom:28px}.post_wemedia{border:1px solid #eee;
padding:16px}.post_wemedia_name a{font-size:18px;font-weight:700}.post_wemedia_desc{color:#888}
.mod_news_title{font-weight:700;border-bottom:2px solid #e31e24;padding-bottom:4px}
.N-footer{background:#f6f6f6;margin-top:40px;padding:20px 0;text-align:center;font-size:12px;color:#888}
.spider_pool{font-size:12px;color:#bbb;line-height:20px;padding:0 40px}
"""  # noqa: E501

_NETEASE_HEAD_SCRIPT = """
var _ntes_nacc = "dy";
var _ntes_ntit = document.title;
var _ntes_sps = "https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html";
var config = {"docid": "K4EJ8Q3L0519DTSV", "channel": "dy", "source": "wemedia",
  "wemediaId": "W3916620184932487795", "isOriginal": true, "ptime": "2025-07-23 20:03:00"};
"""  # noqa: E501

_NETEASE_TAIL_SCRIPT = """
(function () {
  var share = document.querySelector('.post_top_share');
  if (share) {
    share.addEventListener('click', function (ev) {
      var t = ev.target && ev.target.getAttribute('data-type');
      if (t) { window.open('https://www.163.com/share?type=' + t + '&url=' +
        encodeURIComponent(location.href)); }
    });
  }
  window.NTESAntAnalysis && window.NTESAntAnalysis.sendData({projectid: 'NTM-BXR8M5Z8-5'});
})();
"""  # noqa: E501

_NETEASE_HEADINGS = ("何以估值2000億?", "Meta下場,谷歌們“割席”", "AI大戰來到新高度")


def _netease_page(fx: Path) -> Page:
    seed = _NETEASE_SEED
    text = _read(fx, seed)
    lines = text.split("\n")
    spam = lines[0].strip()
    i_crumb = _index(lines, seed, "網易首頁 >", prefix=True)
    i_title = next(i for i in range(i_crumb + 1, len(lines)) if lines[i].strip())
    title = lines[i_title].strip()
    i_share = _index(lines, seed, "分享至", start=i_title)
    share_count = lines[i_share - 1].strip()
    i_statement = _index(lines, seed, "特別聲明", start=i_share, prefix=True)
    i_notice = _index(lines, seed, "Notice:", start=i_statement, prefix=True)
    i_related = _index(lines, seed, "相關推薦", start=i_notice)
    i_hot = _index(lines, seed, "熱點推薦", start=i_related)
    i_account = next(
        (i for i in range(i_hot, len(lines)) if lines[i].strip().endswith(" incentive-icons")), -1
    )
    if i_account < 0:
        raise ValueError(f"{seed}: expected the account box ('... incentive-icons')")
    i_news = _index(lines, seed, "財經要聞", start=i_account)
    i_attitude = _index(lines, seed, "態度原創", start=i_news)
    footer = next(line.strip() for line in reversed(lines) if line.strip())

    # body: paragraphs; a line after two or more blank lines is an image caption
    blocks: list[tuple[str, str]] = []  # (kind, text)
    blanks = 0
    for raw in lines[i_share + 1 : i_statement]:
        line = raw.strip()
        if not line:
            blanks += 1
            continue
        if not blocks:
            kind = "lede"
        elif line in _NETEASE_HEADINGS:
            kind = "heading"
        elif blanks >= 2:
            kind = "caption"
        else:
            kind = "p"
        blocks.append((kind, line))
        blanks = 0
    for heading in _NETEASE_HEADINGS:
        if ("heading", heading) not in blocks:
            raise ValueError(f"{seed}: expected the subheading {heading!r}")
    statement = [lines[i_statement].strip(), lines[i_notice].strip()]

    rec_lines = [line.strip() for line in lines[i_hot + 1 : i_account - 1] if line.strip()]
    if len(rec_lines) % 4:
        raise ValueError(f"{seed}: recommendation list is not (title, title, source, date)")
    recs = []
    for k in range(0, len(rec_lines), 4):
        rec_title, rec_title2, rec_source, rec_date = rec_lines[k : k + 4]
        if rec_title != rec_title2 or not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rec_date):
            raise ValueError(f"{seed}: unexpected recommendation item near {rec_title!r}")
        recs.append((rec_title, rec_source, rec_date))

    account_date = lines[i_account - 1].strip()
    account_name = lines[i_account + 1].strip()
    account_desc = lines[i_account + 2].strip()
    stats = re.fullmatch(r"(\d+)文章數 (\d+)關注度", lines[i_account + 3].strip())
    if not stats:
        raise ValueError(f"{seed}: expected '<n>文章數 <n>關注度' in the account box")
    history = lines[i_account + 4].strip()

    def news_sections(chunk: list[str]) -> list[tuple[str, list[str]]]:
        sections: list[tuple[str, list[str]]] = []
        for item in (c.strip() for c in chunk):
            if not item:
                continue
            if item.endswith("要聞") and len(item) <= 6:
                sections.append((item, []))
            elif sections:
                sections[-1][1].append(item)
        return sections

    top_news = news_sections(lines[i_news:i_attitude])
    after = [
        line.strip() for line in lines[i_attitude + 1 :] if line.strip() and line.strip() != footer
    ]
    tabs: list[str] = []
    while after and not after[0].endswith("要聞"):
        tabs.append(after.pop(0))
    attitude_news = news_sections(after)
    access_part, _, pool = footer.partition("主站蜘蛛池模板:")
    pool_items = [p.strip() for p in pool.split("|") if p.strip()]

    main_text = "\n".join(t for _, t in blocks)
    expected = Expected(
        title=title,
        body=(
            "技術含量低、工作內容重復枯燥、依賴大量低成本人力完成簡單機械的標注任務,"
            "例如給圖片打標簽、文本分類或音頻轉錄。",
            "不過,隨著一筆硅谷投資交易浮出水面,你可能要重新構建對數據標注公司的價值評估了。",
            "據多家媒體報道,6月中旬,Facebook母公司Meta出資143億美元(約合人民幣1028億元)",
            "算力是AI軍備競賽中的關鍵戰略資源。",
            "流傳于業內的一句俗語說,“垃圾進,垃圾出”,說的就是這個道理。",
            "Scale AI的商業模式,正是為客戶提供數據標注解決方案。",
            "2024年,Scale AI的營收達到8.7億美元,其估值在與Meta的交易之前就來到了140億美元。",
            "正如Handshake(Scale AI的競爭對手)的CEO Garrett Lord所說:",
            "Handshake一夜之間訂單量激增到原來的三倍",
            "僅從賬面上看,Meta花費如此大的代價投資Scale AI,算不上是一筆好買賣。",
            "類似的“招聘式投資”近些年在硅谷早有先例。",
            "2016年,年僅19歲的Alexandr Wang在用AI攝像頭來監控冰箱庫存的嘗試中",
            "這場大戰還遠遠沒有迎來拐點。",
        ),
        boilerplate=(
            "gogogo高清免费完整版",
            "申請入駐",
            "分享至",
            "緊急暫停!女演員突然從高空墜落",
            "保羅將成為第七個!美媒列前六位球員第21個賽季數據:老詹25+7+8",
            "重慶雙胞胎兄弟分別被清華、北大錄取",
            "用真實筆觸呈現商業社會的切片",
            "往期回顧",
            "律師解析娃哈哈遺產案:遺囑是最大變數",
            "汪峰森林北同游日本 各帶各娃互不耽誤",
            "進入關懷版",
            "主站蜘蛛池模板",
        ),
        language="zh",
        author=account_name,
        published="2025-07-23",
        sitename="網易",
    )
    _validate(seed, main_text, expected)

    body_parts: list[str] = []
    img_no = 0
    for kind, line in blocks:
        if kind == "lede":
            body_parts.append(f"<p><strong>{_esc(line)}</strong></p>")
        elif kind == "heading":
            body_parts.append(f'<p class="f_center"><strong>{_esc(line)}</strong></p>')
        elif kind == "caption":
            img_no += 1
            src = (
                "https://nimg.ws.126.net/?url=http%3A%2F%2Fdingyue.ws.126.net%2F2025%2F0723%2F"
                f"{_fake_id(seed + str(img_no), 'a', 32).lower()}.jpeg"
                "&amp;thumbnail=660x2147483647&amp;quality=80&amp;type=jpg"
            )
            body_parts.append(
                f'<p class="f_center"><img src="{src}" alt="{_attr(line)}" '
                f"onerror=\"this.style.display='none'\"><br>{_esc(line)}</p>"
            )
        else:
            body_parts.append(f"<p>{_esc(line)}</p>")
    body_html = "\n".join(body_parts)

    rec_html = "\n".join(
        f'<li class="post_recommend"><a class="post_recommend_img" '
        f'href="https://www.163.com/dy/article/{_fake_id(t, "K4", 16)}.html">'
        f'<img src="https://nimg.ws.126.net/?url=cover_{_fake_id(t, "", 8).lower()}.jpg" '
        f'alt="{_attr(t)}"></a><div class="post_recommend_info">'
        f'<h3><a href="https://www.163.com/dy/article/{_fake_id(t, "K4", 16)}.html">'
        f"{_esc(t)}</a></h3>"
        f'<p><span class="post_recommend_source">{_esc(src)}</span>'
        f'<span class="post_recommend_time">{_esc(d)}</span></p></div></li>'
        for t, src, d in recs
    )

    def news_html(sections: list[tuple[str, list[str]]]) -> str:
        return "\n".join(
            f'<div class="mod_news"><h4 class="mod_news_title">{_esc(head)}</h4><ul>'
            + "".join(
                f'<li><a href="https://www.163.com/news/article/'
                f'{_fake_id(head + it, "K4", 16)}.html">'
                f"{_esc(it)}</a></li>"
                for it in items
            )
            + "</ul></div>"
            for head, items in sections
        )

    tabs_html = "".join(
        f'<li class="{"current" if i == 0 else ""}">{_esc(t)}</li>' for i, t in enumerate(tabs)
    )
    pool_html = "| ".join(
        f'<a href="http://{_fake_id(item, "", 6).lower()}.example/" target="_blank">'
        f"{_esc(item)}</a>"
        for item in pool_items
    )
    access_links = " ".join(
        f'<a href="javascript:;" class="ntes_access">{_esc(a)}</a>' for a in access_part.split()
    )
    crumb = lines[i_crumb].strip()
    crumb_join = crumb.rsplit(" ", 1)[-1]
    description = blocks[3][1][:100] if len(blocks) > 3 else title
    doc = f"""<!DOCTYPE HTML>
<html id="ne_wrap" lang="zh-CN" data-publishtime="2025-07-23 20:03:00" data-category="dy">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{_esc(title)}|Scale AI|Meta|數據標注_網易訂閱</title>
<meta name="keywords" content="Scale AI,Meta,數據標注,Alexandr Wang,估值">
<meta name="description" content="{_attr(description)}">
<meta name="author" content="{_attr(account_name)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{_attr(title)}">
<meta property="og:description" content="{_attr(description)}">
<meta property="og:url" content="https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html">
<meta property="og:site_name" content="網易">
<meta property="article:published_time" content="2025-07-23T20:03:00+08:00">
<meta property="article:author" content="{_attr(account_name)}">
<link rel="canonical" href="https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html">
<link rel="alternate" media="only screen and(max-width: 640px)"
      href="https://m.163.com/dy/article/K4EJ8Q3L0519DTSV.html">
<style>{_NETEASE_STYLE}</style>
<script>{_NETEASE_HEAD_SCRIPT}</script>
</head>
<body>
<div class="top_seo_banner"><a href="#" rel="nofollow">{_esc(spam)}</a></div>
<div class="ntes_nav_wrap" id="js_N_NTES_wrap">
 <div class="ntes_nav">
  <a href="https://www.163.com/">網易首頁</a><a href="https://news.163.com/">新聞</a>
  <a href="https://sports.163.com/">體育</a><a href="https://ent.163.com/">娛樂</a>
  <a href="https://money.163.com/">財經</a><a href="https://auto.163.com/">汽車</a>
  <a href="https://tech.163.com/">科技</a><a href="https://fashion.163.com/">時尚</a>
  <a href="https://mobile.163.com/">手機</a><a href="https://digi.163.com/">數碼</a>
  <a href="https://house.163.com/">房產</a><a href="https://home.163.com/">家居</a>
  <a href="https://travel.163.com/">旅遊</a><a href="https://edu.163.com/">教育</a>
  <a href="https://reg.163.com/">登錄</a>
 </div>
</div>
<div class="post_crumb">
 <a href="https://www.163.com/">網易首頁</a> &gt; <a href="https://www.163.com/dy/">網易號</a> &gt; 正文
 <a class="post_top_join" href="https://mp.163.com/" target="_blank">{_esc(crumb_join)}</a>
</div>
<div class="container clearfix" id="container">
 <div class="post_main">
  <h1 class="post_title">{_esc(title)}</h1>
  <div class="post_info">2025-07-23 20:03:00\u3000來源: <a href="https://www.163.com/dy/media/T1593394069599.html">{_esc(account_name)}</a></div>
  <div class="post_top_tie post_top_share">
   <a class="post_top_tie_count js-tielink" href="https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html#post_comment_area">{_esc(share_count)}</a>
   <span class="post_top_share_title">分享至</span>
   <ul class="post_share_list">
    <li><a href="javascript:;" data-type="weixin" title="微信">微信</a></li>
    <li><a href="javascript:;" data-type="yixin" title="易信">易信</a></li>
    <li><a href="javascript:;" data-type="weibo" title="新浪微博">新浪微博</a></li>
    <li><a href="javascript:;" data-type="qzone" title="QQ空間">QQ空間</a></li>
   </ul>
  </div>
  <div class="post_content" id="content">
   <div class="post_body">
{body_html}
   </div>
   <div class="post_statement">
    <p>{_esc(statement[0])}</p>
    <p>{_esc(statement[1])}</p>
   </div>
  </div>
  <div class="post_recommends js-tab-mod" data-event-name="相關推薦">
   <div class="post_recommends_titles"><h3 class="current">相關推薦</h3><h3>熱點推薦</h3></div>
   <ul class="post_recommends_list">
{rec_html}
   </ul>
  </div>
 </div>
 <div class="post_side">
  <div class="post_side_mod post_wemedia">
   <div class="post_wemedia_info">
    <span class="post_wemedia_time">{_esc(account_date)}</span>
    <a class="post_wemedia_avatar" href="https://www.163.com/dy/media/T1593394069599.html"><img
      src="https://dingyue.ws.126.net/2021/0426/avatar_xbcjs.png" alt="{_attr(account_name)}"><img
      class="incentive-icon" src="https://static.ws.126.net/163/f2e/dy_media/icons/incentive.png" alt="incentive-icons"></a>
    <div class="post_wemedia_name"><a href="https://www.163.com/dy/media/T1593394069599.html">{_esc(account_name)}</a></div>
    <p class="post_wemedia_desc">{_esc(account_desc)}</p>
    <p class="post_wemedia_stat"><span>{stats.group(1)}</span>文章數 <span>{stats.group(2)}</span>關注度</p>
   </div>
   <div class="post_wemedia_history"><a href="https://www.163.com/dy/media/T1593394069599.html">{_esc(history)}</a></div>
  </div>
  <div class="post_side_mod post_side_news">
{news_html(top_news)}
  </div>
  <div class="post_side_mod post_side_attitude">
   <h4 class="mod_news_title">態度原創</h4>
   <ul class="tab_nav">{tabs_html}</ul>
{news_html(attitude_news)}
  </div>
 </div>
</div>
<div class="N-footer">
 <p>{access_links}</p>
 <p>網易公司版權所有 &copy;1997-2025 <a href="https://corp.163.com/">About NetEase</a> | <a href="https://gb.corp.163.com/gb/legal.html">隱私政策</a></p>
 <div class="spider_pool">主站蜘蛛池模板: {pool_html}</div>
</div>
<script>{_NETEASE_TAIL_SCRIPT}</script>
</body>
</html>
"""  # noqa: E501
    return Page(
        path=NETEASE_PATH,
        body=doc.encode("utf-8"),
        content_type="text/html; charset=utf-8",
        headers=(
            ("Last-Modified", "Wed, 23 Jul 2025 12:03:00 GMT"),
            ("Cache-Control", "max-age=60"),
            (
                "Set-Cookie",
                "NTESwebSI=9D2C3A1F6B0E4C8DA7F3E6B21C0D5A94.hz-subscribe-web-"
                "docker-cm-online-7d9f-2; Path=/; HttpOnly",
            ),
            ("Set-Cookie", "_ntes_nuid=5c1e0b8f4a7d2e6390f1c4b7a8d2e6f0; Path=/; Max-Age=31536000"),
        ),
        expected=expected,
        seed_file=seed,
    )


# --------------------------------------------------------------------------- 3. 新智元 (GBK)

_SOHU_STYLE = """
body{margin:0;background:#fff;color:#191919;font:16px/1.8 "PingFang SC","Microsoft YaHei",sans-serif}
a{color:#191919;text-decoration:none}.groupnav{background:#f5f5f5;border-bottom:1px solid #e8e8e8}
.groupnav .area{width:1140px;margin:0 auto;height:40px;line-height:40px;font-size:14px}
.groupnav a{margin-right:16px}.groupnav .hot{color:#f43838}
.location-without-nav{width:1140px;margin:14px auto;font-size:13px;color:#8a8a8a}
.wrapper-box{width:1140px;margin:0 auto;display:flex;gap:48px}.left.main{width:780px}
.text-title h1{font-size:30px;line-height:42px;margin:0 0 12px}
.article-info{color:#8a8a8a;font-size:14px;margin-bottom:24px}.article-info span{margin-right:14px}
.article p{margin:0 0 24px;text-align:justify}.article h3{font-size:19px;margin:32px 0 16px}
.article img{max-width:100%;display:block;margin:0 auto}
.article .byline{color:#8a8a8a}.statement{color:#8a8a8a;font-size:14px}
.article-oper{color:#8a8a8a;font-size:14px;padding:16px 0;border-top:1px solid #eee}
.more-article h2,.sidebar h2{font-size:18px;border-left:3px solid #ffd100;padding-left:10px}
.more-article li{padding:10px 0;border-bottom:1px solid #f2f2f2}.sidebar{width:300px}
.user-info{background:#f8f8f8;padding:16px;text-align:center}
.footer{margin-top:40px;background:#f5f5f5;text-align:center;font-size:12px;color:#8a8a8a;padding:20px}
"""  # noqa: E501

_SOHU_HEAD_SCRIPT = """
var article_config = {
  channel_id: "30",
  channel_long_path: [["科技", "//www.sohu.com/c/8/1437"], ["人工智能", "//www.sohu.com/c/30/1438"]],
  mp_id: "473283",
  news_id: "909412345",
  publishTime: 1751523960000
};
window.sohu_mp = {"pvId": "1751523960000_cq3kzx", "spm": "smpc.content.news"};
"""  # noqa: E501

_SOHU_TAIL_SCRIPT = """
(function () {
  var t = document.getElementById('news-time');
  if (t && t.getAttribute('data-val')) {
    var d = new Date(parseInt(t.getAttribute('data-val'), 10));
    t.setAttribute('title', d.toISOString());
  }
  var back = document.getElementById('backsohucom');
  if (back) { back.href = '//www.sohu.com/?strategyid=00001&spm=smpc.content.content-to-home.1'; }
})();
"""  # noqa: E501

_XZY_HEADINGS = (
    "和YannLeCun同榜的前教授",
    "推理模型大爆發(fā)",
    "AI數(shù)據(jù)成關(guān)鍵",
    "產(chǎn)業(yè)升級(jí),專家加薪20%",
)
# lines after which the original article shows a figure
_XZY_IMAGES_AFTER = (5, 9, 12, 20, 36)


def _xinzhiyuan_page(fx: Path) -> Page:
    seed = _XINZHIYUAN_SEED
    text = _read(fx, seed)
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) < 10:
        raise ValueError(f"{seed}: too short")
    headline, byline_site, byline_author = lines[0], lines[1], lines[2]
    i_refs = _index(lines, seed, "參考資料", prefix=True)
    refs = [line for line in lines[i_refs + 1 :] if line.startswith("http")]
    noise = [line for line in lines[i_refs + 1 + len(refs) :] if line]
    if len(noise) != 3:
        raise ValueError(f"{seed}: expected three recommendation lines after the references")
    body_lines = lines[3:i_refs]
    for heading in _XZY_HEADINGS:
        if heading not in body_lines:
            raise ValueError(f"{seed}: expected the subheading {heading!r}")

    main_text = "\n".join(body_lines + [lines[i_refs]] + refs)
    expected = Expected(
        title=headline,
        body=(
            "不要只盯著明星AI研究員!為了打造ASI,Meta、貝索斯等狂砸百億",
            "最近,Meta成立了「超級(jí)智能」AI實(shí)驗(yàn)室,四處砸錢挖人。",
            "扎克伯格提供了高達(dá)10億美元的薪酬提議。",
            "他是LLM微調(diào)方法低秩自適應(yīng)LoRA的合著者。",
            "2014年,他獲得了清華大學(xué)計(jì)算機(jī)科學(xué)學(xué)士學(xué)位;",
            "這一轉(zhuǎn)變導(dǎo)致投資者對(duì)數(shù)據(jù)標(biāo)注初創(chuàng)公司興趣大增。",
            "貝索斯的個(gè)人公司BezosExpeditions則在5月領(lǐng)投了Toloka的7200萬(wàn)美元融資輪次。",
            "該協(xié)會(huì)還發(fā)現(xiàn),部分任務(wù)要求標(biāo)注員對(duì)AI生成的內(nèi)容進(jìn)行最終質(zhì)量控制檢查。",
            "Siddharth透露,Turing為跨行業(yè)專家提供比原職高20%-30%的薪酬。",
            "TuringAI的Siddharth指出:「由此產(chǎn)生的模型不僅會(huì)超越物理學(xué)家",
            "三大領(lǐng)域頂尖人才的疊加能力。」",
        ),
        boilerplate=(
            noise[0],
            "重生衡山劍癡,唯劍獨(dú)尊",
            "踏上武道巔峰之旅",
            "返回搜狐,查看更多",
            "24小時熱文",
            "智能+中國主平台",
            "All Rights Reserved",
            "搜狐公司 版權所有",
        ),
        language="zh",
        author=byline_author,
        published="2025-07-03",
        sitename="搜狐",
    )
    _validate(seed, main_text, expected)

    parts: list[str] = [
        f'<p class="byline"><span class="byline-site"><strong>{_esc(byline_site)}</strong>'
        "</span></p>",
        f'<p class="byline"><span class="byline-author">{_esc(byline_author)}</span></p>',
    ]
    for offset, line in enumerate(body_lines, start=3):
        if not line:
            continue
        if line in _XZY_HEADINGS:
            parts.append(f"<h3>{_esc(line)}</h3>")
        elif offset == 3:
            parts.append(f'<p><span style="color:#888">{_esc(line)}</span></p>')
        else:
            linked = re.sub(
                r"(https?://\S+)",
                lambda m: f'<a href="{_attr(m.group(1))}" target="_blank">{_esc(m.group(1))}</a>',
                _esc(line),
            )
            parts.append(f"<p>{linked}</p>")
        if offset in _XZY_IMAGES_AFTER:
            name = _fake_id(seed + str(offset), "", 20).lower()
            parts.append(
                f'<p style="text-align:center"><img src="https://q1.itc.cn/q_70/images03/20250703/'
                f'{name}.jpeg" max-width="600"></p>'
            )
    parts.append(f"<p>{_esc(lines[i_refs])}</p>")
    parts.extend(
        f'<p><a href="{_attr(r)}" target="_blank" rel="nofollow">{_esc(r)}</a></p>' for r in refs
    )
    article_html = "\n".join(parts)
    noise_html = "\n".join(
        f'<li><a href="https://www.sohu.com/a/9094{_fake_id(n, "", 5).lower()}_12{k}4" '
        f'target="_blank"><span class="label">▶</span> {_esc(n)}</a></li>'
        for k, n in enumerate(noise)
    )
    lede = body_lines[0]
    doc = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="gbk">
<title>{_esc(headline)}_搜狐</title>
<meta name="keywords" content="數(shù)據(jù)標(biāo)注,Meta,Toloka,ScaleAI,專家">
<meta name="description" content="{_attr(lede)}">
<meta property="og:type" content="news">
<meta property="og:title" content="{_attr(headline)}">
<meta property="og:description" content="{_attr(lede)}">
<meta property="og:url" content="https://www.sohu.com/a/909412345_473283">
<meta property="og:site_name" content="搜狐">
<meta property="og:release_date" content="2025-07-03 14:26">
<meta name="mediaid" content="新智元">
<meta property="og:author" content="{_attr(byline_author)}">
<link rel="canonical" href="https://www.sohu.com/a/909412345_473283">
<style>{_SOHU_STYLE}</style>
<script>{_SOHU_HEAD_SCRIPT}</script>
</head>
<body>
<header class="groupnav" data-spm="top-nav">
 <div class="area">
  <a href="https://www.sohu.com/">搜狐首頁</a><a href="https://news.sohu.com/">新聞</a>
  <a href="https://sports.sohu.com/">體育</a><a href="https://auto.sohu.com/">汽車</a>
  <a href="https://house.sohu.com/">房產</a><a href="https://travel.sohu.com/">旅遊</a>
  <a href="https://learning.sohu.com/">教育</a><a href="https://fashion.sohu.com/">時尚</a>
  <a href="https://it.sohu.com/">科技</a><a href="https://business.sohu.com/">財經</a>
  <a href="https://yule.sohu.com/">娛樂</a><a class="hot" href="https://hot.sohu.com/">\U0001f525熱榜</a>
  <a href="https://mp.sohu.com/">發(fā)文</a><a href="https://passport.sohu.com/">登錄</a>
 </div>
</header>
<div class="location-without-nav"><a href="https://www.sohu.com/">搜狐</a> &gt;
 <a href="https://it.sohu.com/">科技</a> &gt; <span>正文</span></div>
<div class="wrapper-box">
 <div class="left main">
  <div class="article-page">
   <div class="text-title">
    <h1>{_esc(headline)}<span class="article-tag"></span></h1>
    <div class="article-info">
     <span class="time" id="news-time" data-val="1751523960000">2025-07-03 14:26</span>
     <span data-role="original-link">來(lái)源: <a href="https://mp.sohu.com/profile?xpt=c29odW1wNDczMjgz" target="_blank">新智元</a></span>
     <span class="read-num">閱讀 (<em>3921</em>)</span>
    </div>
   </div>
   <article class="article" id="mp-editor">
{article_html}
   </article>
   <div class="statement"><a href="https://www.sohu.com/?strategyid=00001" id="backsohucom"
     target="_blank" title="點(diǎn)擊進(jìn)入搜狐首頁(yè)">返回搜狐,查看更多</a>
    <p>平臺(tái)聲明:該文觀點(diǎn)僅代表作者本人,搜狐號(hào)系信息發(fā)布平臺(tái),搜狐僅提供信息存儲(chǔ)空間服務(wù)。</p></div>
   <div class="article-oper"><span class="like">點(diǎn)贊 (12)</span> <span class="collect">收藏</span>
    <span class="share">分享到:微信 · 微博 · QQ空間</span></div>
   <div class="more-article" data-spm="more-article">
    <h2>相关推荐</h2>
    <ul>
{noise_html}
    </ul>
   </div>
  </div>
 </div>
 <div class="sidebar right">
  <div class="user-info" data-spm="author">
   <img src="https://p3.itc.cn/q_70/images01/20220318/xinzhiyuan_avatar.png" alt="新智元" width="64">
   <h4><a href="https://mp.sohu.com/profile?xpt=c29odW1wNDczMjgz">新智元</a></h4>
   <p class="desc">智能+中國主平台,致力于推動中國從互聯(lián)網(wǎng)+邁向智能+新紀元</p>
   <p><span>文章 9871</span> · <span>總閱讀 1.2億</span></p>
  </div>
  <div class="hot-article">
   <h2>24小時熱文</h2>
   <ol>
    <li><a href="https://www.sohu.com/a/909388812_121124">暑期檔新片扎堆上映 動(dòng)畫電影成最大黑馬</a></li>
    <li><a href="https://www.sohu.com/a/909377105_114988">高溫天氣持續(xù) 多地電網(wǎng)負(fù)荷創(chuàng)新高</a></li>
    <li><a href="https://www.sohu.com/a/909366540_100191">新能源車企6月交付數(shù)據(jù)出爐</a></li>
   </ol>
  </div>
 </div>
</div>
<div class="footer">
 <p>Copyright \u00a9 2025 Sohu All Rights Reserved</p>
 <p>搜狐公司 版權所有 <a href="https://www.sohu.com/upload/uiue20140718/sohu_license.html">全部新聞</a></p>
</div>
<script>{_SOHU_TAIL_SCRIPT}</script>
</body>
</html>
"""  # noqa: E501
    return Page(
        path=XINZHIYUAN_PATH,
        body=doc.encode("gb18030"),
        content_type="text/html; charset=GBK",
        headers=(
            ("Last-Modified", "Thu, 03 Jul 2025 06:26:00 GMT"),
            ("Cache-Control", "max-age=300"),
        ),
        expected=expected,
        seed_file=seed,
    )


# --------------------------------------------------------------------------- 4. French article

_FR_TITLE = (
    "Jeff Bezos mise 72 millions de dollars sur Toloka, spécialiste des données humaines pour l’IA"
)
_FR_SITE = "InfoTech Hebdo"
_FR_AUTHOR = "Claire Fontaine"
_FR_CANONICAL = "https://www.infotech-hebdo.example/2025/05/toloka-bezos-72-millions.html"

_FR_STYLE = """
:root{--accent:#0052cc}body{margin:0;font:17px/1.65 Georgia,"Times New Roman",serif;color:#1d1d1f}
a{color:var(--accent)}.cmp-banner{position:fixed;bottom:0;left:0;right:0;background:#111;color:#eee;
padding:16px 24px;font:14px/1.5 Arial,sans-serif;z-index:1000;display:flex;gap:16px;align-items:center}
.cmp-banner button{padding:8px 18px;border:0;border-radius:4px;cursor:pointer}
.cmp-accept{background:#00a86b;color:#fff}.cmp-refuse{background:#444;color:#fff}
.site-header{border-bottom:3px solid var(--accent);font-family:Arial,sans-serif}
.site-header .inner{max-width:1160px;margin:0 auto;display:flex;align-items:center;height:64px}
.logo{font-size:26px;font-weight:800;color:#111;text-decoration:none;margin-right:32px}
.main-nav a{margin-right:18px;color:#111;text-decoration:none;font-size:15px}
.breadcrumb{max-width:1160px;margin:12px auto;font:13px Arial,sans-serif;color:#666}
.layout{max-width:1160px;margin:0 auto;display:grid;grid-template-columns:1fr 320px;gap:48px}
.entry-title{font-size:38px;line-height:1.2;margin:8px 0 16px}.category{text-transform:uppercase;
font:700 12px Arial,sans-serif;color:var(--accent)}.byline{font:14px Arial,sans-serif;color:#555}
.entry-content p{margin:0 0 1.2em}figure{margin:24px 0}figcaption{font:13px Arial,sans-serif;color:#666}
.tags a{display:inline-block;background:#eef2f8;padding:2px 10px;border-radius:12px;margin:2px;
font:13px Arial,sans-serif}.share-bar{font:14px Arial,sans-serif;margin:24px 0}
.related h2,.sidebar h3{font:800 18px Arial,sans-serif;text-transform:uppercase}
.related li{margin-bottom:10px}.newsletter-box{background:#f3f6fb;padding:20px;border-radius:6px;
font-family:Arial,sans-serif}.site-footer{margin-top:48px;background:#111;color:#bbb;
padding:32px;font:13px Arial,sans-serif}.site-footer a{color:#ddd}
"""  # noqa: E501

_FR_SCRIPT = """
(function () {
  var banner = document.getElementById('cmp-banner');
  function close(choice) {
    document.cookie = 'cmp_consent=' + choice + '; path=/; max-age=15552000; SameSite=Lax';
    banner.style.display = 'none';
  }
  if (document.cookie.indexOf('cmp_consent=') !== -1) { banner.style.display = 'none'; }
  document.getElementById('cmp-accept').onclick = function () { close('all'); };
  document.getElementById('cmp-refuse').onclick = function () { close('none'); };
})();
"""  # noqa: E501


def _french_page(fx: Path) -> Page:
    seed = _FRENCH_SEED
    text = _read(fx, seed)
    text = re.sub(r"^\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+", "", text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) < 4:
        raise ValueError(f"{seed}: expected several paragraphs")
    main_text = "\n".join(paragraphs)
    expected = Expected(
        title=_FR_TITLE,
        body=(
            "Le fonds personnel de Jeff Bezos, Bezos Expeditions, vient d’investir 72 millions de "
            "dollars",
            "L’opération, annoncée début mai, marque une étape importante pour cette société "
            "encore peu connue du grand public",
            "Fondée par Olga Megorskaya, Toloka veut fournir aux entreprises technologiques des "
            "données humaines de qualité",
            "Initialement conçue comme une plateforme de micro-tâches",
            "Mikhail Parakhin, directeur de la technologie chez Shopify, participe également à ce "
            "financement",
            "Jusqu’à récemment, Toloka faisait partie de l’univers Nebius, issu du spin-off des "
            "actifs internationaux de Yandex.",
            "Nebius conserve une part économique importante dans l’entreprise mais ne détient plus "
            "de pouvoir de vote majoritaire.",
            "L’investissement vise à renforcer la capacité de Toloka à concevoir des systèmes "
            "hybrides associant intelligence artificielle et intervention humaine.",
            "Cette opération intervient alors que les débats sur la qualité des données utilisées "
            "pour entraîner les modèles de langage s’intensifient",
            "et des contributions régulières aux travaux du consortium MLCommons.",
        ),
        boilerplate=(
            "Nous utilisons des cookies",
            "Paramétrer mes choix",
            "À lire aussi",
            "Annotation de données : les petites mains de l’IA sortent de l’ombre",
            "AI Act : ce qui change pour les fournisseurs de modèles en août 2025",
            "Recevez chaque matin l’essentiel de l’actualité tech",
            "Les plus lus",
            "Mentions légales",
            "Politique de confidentialité",
            "Tous droits réservés",
        ),
        language="fr",
        author=_FR_AUTHOR,
        published="2025-05-13",
        sitename=_FR_SITE,
    )
    _validate(seed, main_text, expected)

    description = paragraphs[0][:155].rsplit(" ", 1)[0] + "…"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": _FR_TITLE,
        "datePublished": "2025-05-13T08:30:00+02:00",
        "dateModified": "2025-05-13T10:05:00+02:00",
        "author": {"@type": "Person", "name": _FR_AUTHOR},
        "publisher": {"@type": "Organization", "name": _FR_SITE},
        "mainEntityOfPage": _FR_CANONICAL,
        "inLanguage": "fr-FR",
    }
    paras_html = "\n".join(f"<p>{_esc(p)}</p>" for p in paragraphs)
    base = "https://www.infotech-hebdo.example"
    doc = f"""<!doctype html>
<html lang="fr-FR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(_FR_TITLE)} | {_FR_SITE}</title>
<meta name="description" content="{_attr(description)}">
<meta name="author" content="{_FR_AUTHOR}">
<meta name="robots" content="index, follow, max-image-preview:large">
<meta property="og:locale" content="fr_FR">
<meta property="og:type" content="article">
<meta property="og:title" content="{_attr(_FR_TITLE)}">
<meta property="og:description" content="{_attr(description)}">
<meta property="og:url" content="{_FR_CANONICAL}">
<meta property="og:site_name" content="{_FR_SITE}">
<meta property="og:image" content="{base}/wp-content/uploads/2025/05/toloka-bezos.jpg">
<meta property="article:published_time" content="2025-05-13T08:30:00+02:00">
<meta property="article:modified_time" content="2025-05-13T10:05:00+02:00">
<meta property="article:section" content="Intelligence artificielle">
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="{_FR_CANONICAL}">
<script type="application/ld+json">{_json_script(ld)}</script>
<style>{_FR_STYLE}</style>
</head>
<body class="post-template-default single single-post">
<div id="cmp-banner" class="cmp-banner" role="dialog" aria-label="Gestion des cookies">
 <p>Nous utilisons des cookies et des technologies similaires pour mesurer l’audience, personnaliser
  les contenus et les publicités et vous permettre de partager sur les réseaux sociaux. Vous pouvez
  modifier vos choix à tout moment via le lien « Gestion des cookies » en bas de page.</p>
 <button id="cmp-accept" class="cmp-accept" type="button">Accepter</button>
 <button id="cmp-refuse" class="cmp-refuse" type="button">Refuser</button>
 <a href="{base}/cookies/">Paramétrer mes choix</a>
</div>
<header class="site-header">
 <div class="inner">
  <a class="logo" href="{base}/">{_FR_SITE}</a>
  <nav class="main-nav" aria-label="Navigation principale">
   <a href="{base}/actualites/">Actualités</a>
   <a href="{base}/intelligence-artificielle/">Intelligence artificielle</a>
   <a href="{base}/cybersecurite/">Cybersécurité</a>
   <a href="{base}/start-up/">Start-up</a>
   <a href="{base}/tests/">Tests</a>
   <a href="{base}/podcasts/">Podcasts</a>
   <a href="{base}/abonnement/">S’abonner</a>
  </nav>
 </div>
</header>
<nav class="breadcrumb" aria-label="Fil d’Ariane">
 <a href="{base}/">Accueil</a> › <a href="{base}/intelligence-artificielle/">Intelligence artificielle</a>
 › <span>Financement</span>
</nav>
<div class="layout">
 <main id="main">
  <article class="post type-post status-publish">
   <header class="entry-header">
    <span class="category"><a href="{base}/tag/financement/">Financement</a></span>
    <h1 class="entry-title">{_esc(_FR_TITLE)}</h1>
    <div class="byline">Par <a class="author" rel="author" href="{base}/auteur/claire-fontaine/">{_FR_AUTHOR}</a>
     · Publié le <time class="entry-date published" datetime="2025-05-13T08:30:00+02:00">13 mai 2025 à 8h30</time>
     · Mis à jour le <time class="updated" datetime="2025-05-13T10:05:00+02:00">13 mai 2025 à 10h05</time>
     · Lecture : 4 min</div>
   </header>
   <figure class="post-thumbnail">
    <img src="{base}/wp-content/uploads/2025/05/toloka-bezos.jpg" width="1200" height="675"
         alt="Le logo de Toloka affiché sur un écran">
    <figcaption>Toloka, installée à Amsterdam, fournit des données annotées par des humains. © Toloka</figcaption>
   </figure>
   <div class="entry-content">
{paras_html}
   </div>
   <footer class="entry-footer">
    <div class="tags">Mots-clés : <a href="{base}/tag/jeff-bezos/">Jeff Bezos</a>
     <a href="{base}/tag/toloka/">Toloka</a> <a href="{base}/tag/nebius/">Nebius</a>
     <a href="{base}/tag/annotation/">Annotation de données</a></div>
    <div class="share-bar">Partager : <a href="https://x.com/intent/post?url={_FR_CANONICAL}">X</a> ·
     <a href="https://www.linkedin.com/sharing/share-offsite/?url={_FR_CANONICAL}">LinkedIn</a> ·
     <a href="mailto:?subject=Toloka">E-mail</a></div>
   </footer>
  </article>
  <section class="related related-posts">
   <h2>À lire aussi</h2>
   <ul>
    <li><a href="{base}/2025/05/annotation-donnees-petites-mains-ia.html">Annotation de données : les petites mains de l’IA sortent de l’ombre</a></li>
    <li><a href="{base}/2025/04/ai-act-fournisseurs-modeles-aout-2025.html">AI Act : ce qui change pour les fournisseurs de modèles en août 2025</a></li>
    <li><a href="{base}/2025/04/nebius-cloud-ia-europe.html">Nebius, l’ex-Yandex, veut devenir le cloud de l’IA en Europe</a></li>
    <li><a href="{base}/2025/03/donnees-synthetiques-limites.html">Données synthétiques : pourquoi les modèles ont encore besoin d’humains</a></li>
   </ul>
  </section>
 </main>
 <aside class="sidebar" aria-label="Colonne latérale">
  <div class="newsletter-box">
   <h3>La newsletter {_FR_SITE}</h3>
   <p>Recevez chaque matin l’essentiel de l’actualité tech et IA, directement dans votre boîte mail.</p>
   <form action="{base}/newsletter/" method="post">
    <input type="email" name="email" placeholder="Votre adresse e-mail" required>
    <button type="submit">Je m’inscris</button>
   </form>
  </div>
  <div class="most-read">
   <h3>Les plus lus</h3>
   <ol>
    <li><a href="{base}/2025/05/smartphones-pliants-comparatif.html">Smartphones pliants : notre comparatif de printemps</a></li>
    <li><a href="{base}/2025/05/fibre-optique-deploiement-zones-rurales.html">Fibre optique : où en est le déploiement dans les zones rurales ?</a></li>
    <li><a href="{base}/2025/05/rancongiciels-hopitaux-bilan.html">Rançongiciels : les hôpitaux toujours en première ligne</a></li>
   </ol>
  </div>
  <div class="document-box">
   <h3>Document</h3>
   <p><a href="/files/toloka-report.pdf">Toloka : le rapport de financement (PDF)</a></p>
  </div>
 </aside>
</div>
<footer class="site-footer">
 <p>© 2025 {_FR_SITE} – Tous droits réservés</p>
 <p><a href="{base}/mentions-legales/">Mentions légales</a> · <a href="{base}/confidentialite/">Politique de confidentialité</a>
  · <a href="{base}/cookies/">Gestion des cookies</a> · <a href="{base}/contact/">Contact</a></p>
</footer>
<script>{_FR_SCRIPT}</script>
</body>
</html>
"""  # noqa: E501
    return Page(
        path=FRENCH_PATH,
        body=doc.encode("utf-8"),
        content_type="text/html; charset=UTF-8",
        headers=(
            ("Last-Modified", "Tue, 13 May 2025 08:05:00 GMT"),
            ("Cache-Control", "public, max-age=600"),
            ("Link", f'<{_FR_CANONICAL}>; rel="canonical"'),
        ),
        expected=expected,
        seed_file=seed,
    )


def _french_redirect() -> Page:
    body = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        "<title>301 Moved Permanently</title></head>\n"
        "<body><h1>Moved Permanently</h1><p>The document has moved "
        f'<a href="{FRENCH_PATH}">here</a>.</p></body></html>\n'
    )
    return Page(
        path=FRENCH_REDIRECT_PATH,
        body=body.encode("utf-8"),
        content_type="text/html; charset=utf-8",
        status=301,
        headers=(("Location", FRENCH_PATH), ("Cache-Control", "max-age=3600")),
    )


# ------------------------------------------------------------------ 5. Taiwanese blog (Big5)

_BLOG_TITLE = "Meta 擬斥數十億美元投資一家主導 AI 數據市場的新創公司"
_BLOG_NAME = "六爺說科技"
_BLOG_AUTHOR = "小編六爺"

_BLOG_STYLE = """
body{margin:0;background:#eef1f4;color:#333;font:15px/1.9 "Noto Sans TC","Microsoft JhengHei",sans-serif}
a{color:#2a6db0}#header{background:#23395d;color:#fff;padding:28px 0}
#header .inner,#navbar ul,.content-outer{max-width:1100px;margin:0 auto}
#header h1.title{margin:0;font-size:34px}#header h1.title a{color:#fff;text-decoration:none}
#header .description{color:#c9d6ea}#navbar{background:#1b2d4a}#navbar ul{list-style:none;padding:0;display:flex}
#navbar li a{display:block;color:#fff;padding:10px 18px;text-decoration:none}
.content-outer{display:flex;gap:32px;margin-top:24px}.main-inner{flex:1}
.post-outer{background:#fff;padding:28px 36px;border-radius:4px}
.date-header{color:#888;font-size:13px}.post-title{font-size:28px;line-height:1.4;margin:6px 0}
.post-header{color:#888;font-size:13px;margin-bottom:18px}.post-body p{margin:0 0 1.1em}
.post-body .separator{text-align:center;color:#888;font-size:13px}.post-body img{max-width:100%}
.post-footer{border-top:1px dashed #ddd;color:#888;font-size:13px;padding-top:12px}
.blog-pager{display:flex;justify-content:space-between;margin:16px 0}
.comments{background:#fff;padding:24px 36px;margin-top:16px}.comment-block{border-bottom:1px solid #eee;
padding:10px 0}.comment-header cite{font-style:normal;font-weight:700}.comment-header .datetime{
color:#999;font-size:12px;margin-left:10px}#sidebar-wrapper{width:300px}.widget{background:#fff;
padding:16px 20px;margin-bottom:16px}.widget h2{font-size:16px;border-bottom:2px solid #23395d}
#footer{text-align:center;color:#888;font-size:12px;padding:32px 0}
"""  # noqa: E501

_BLOG_SCRIPT = """
var _blogConfig = {blogId: "8123456789012345678", postId: "5566778899001122334",
  commentsEnabled: true, lang: "zh-TW"};
(function () {
  var toggles = document.querySelectorAll('#BlogArchive1 .toggle');
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].onclick = function () {
      var ul = this.parentNode.querySelector('ul');
      if (ul) { ul.style.display = ul.style.display === 'none' ? '' : 'none'; }
    };
  }
})();
"""  # noqa: E501


def _blog_page(fx: Path) -> Page:
    seed = _BLOG_SEED
    text = _read(fx, seed)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or not lines[0].startswith("圖片來源"):
        raise ValueError(f"{seed}: expected the image caption '圖片來源: ...' first")
    caption, paragraphs = lines[0], lines[1:]
    main_text = "\n".join(paragraphs)
    if f"「{_BLOG_TITLE}」" not in main_text:
        raise ValueError(f"{seed}: expected the quoted news headline {_BLOG_TITLE!r}")
    comments = [
        (
            "阿凱",
            "2025年6月9日 上午9:03",
            "每週一都在等六爺的文章,這篇把 Scale 的來龍去脈講得很清楚 \U0001f44d",
        ),
        (
            "HK仔",
            "2025年6月9日 上午10:47",
            "六爺講得啱,Scale 嘅護城河其實係人脈同埋政府關係,唔係標註技術。",
        ),
        (
            "Mandy",
            "2025年6月10日 下午1:15",
            "想請教六爺:合成資料真的會取代人工標註嗎?期待下一篇分析!",
        ),
    ]
    expected = Expected(
        title=_BLOG_TITLE,
        body=(
            "大家好,我是小編六爺,週一早上叫醒你的,是夢想還是帳單呢?",
            "三個月前,中國人工智慧開發商 DeepSeek 推出了一款與美國頂尖 AI 模型匹敵的產品,"
            "震撼了整個科技界。",
            "Wang 在 4 月的聽證會上表示,美國應該建立一個「國家級 AI 數據儲備庫」",
            "簡單來說,AI 發展的三大支柱是晶片、人才與數據,而 Scale 正是數據領域的主導者。",
            "在許多方面,Scale 的崛起與 OpenAI 如出一轍。",
            "部分工人表示,他們在審查某些內容時曾遭遇心理創傷。",
            "截至 2025 年初,參與這類模型優化工作的 Scale 貢獻者中,"
            "有約 12% 擁有分子生物學等領域的博士學位",
            "同時,Scale 也透過國防合約深化與美國政府的關係。",
            "目前則是美國總統唐納・川普的主要科技顧問之一",
            "但Wang本人倒是可能率先體會佐克柏當年一夕成為億萬富豪的感覺",
        ),
        boilerplate=(
            "每週一都在等六爺的文章",
            "六爺講得啱",
            "想請教六爺:合成資料真的會取代人工標註嗎",
            "網誌存檔",
            "輝達財報後,AI 伺服器供應鏈還能追嗎?",
            "前科技業產品經理",
            "版權所有,轉載請註明出處",
            "張貼留言",
        ),
        language="zh",
        author=_BLOG_AUTHOR,
        published="2025-06-09",
        sitename=_BLOG_NAME,
    )
    _validate(seed, main_text, expected)

    paras_html = "\n".join(f"<p>{_esc(p)}</p>" for p in paragraphs)
    comments_html = "\n".join(
        f'<li class="comment" id="c{1000 + k}"><div class="comment-block">'
        f'<div class="comment-header"><cite class="user">'
        f'<a href="https://www.blogger.com/profile/{9000 + k}" rel="nofollow">'
        f"{_esc(name)}</a></cite>"
        '<span class="datetime secondary-text">'
        f'<a rel="nofollow" href="#c{1000 + k}">{_esc(when)}</a></span></div>'
        f'<p class="comment-content">{_esc(body)}</p>'
        '<span class="comment-actions secondary-text">'
        '<a class="comment-reply" href="javascript:;">回覆</a> '
        '<a href="javascript:;">刪除</a></span></div></li>'
        for k, (name, when, body) in enumerate(comments)
    )
    base = "https://liuye-tech.blogspot.example"
    doc = f"""<!DOCTYPE html>
<html lang="zh-Hant-TW" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=big5">
<meta name="viewport" content="width=1100">
<title>{_esc(_BLOG_TITLE)} | {_BLOG_NAME}</title>
<meta name="description" content="{_attr(paragraphs[2][:80])}">
<meta name="author" content="{_BLOG_AUTHOR}">
<meta property="og:type" content="article">
<meta property="og:title" content="{_attr(_BLOG_TITLE)}">
<meta property="og:description" content="{_attr(paragraphs[2][:80])}">
<meta property="og:url" content="{base}/2025/06/scale-ai-meta.html">
<meta property="og:site_name" content="{_BLOG_NAME}">
<meta property="og:image" content="{base}/img/2025/06/scale-ai-bloomberg.jpg">
<meta property="article:published_time" content="2025-06-09T08:12:00+08:00">
<link rel="canonical" href="{base}/2025/06/scale-ai-meta.html">
<link rel="alternate" type="application/atom+xml" title="{_BLOG_NAME} - Atom" href="{base}/feeds/posts/default">
<style>{_BLOG_STYLE}</style>
</head>
<body class="variant-simple">
<div id="header">
 <div class="inner">
  <h1 class="title"><a href="{base}/">{_BLOG_NAME}</a></h1>
  <p class="description">科技、投資、創業,用台灣人聽得懂的話說給你聽</p>
 </div>
</div>
<div id="navbar"><ul>
 <li><a href="{base}/">首頁</a></li><li><a href="{base}/search/label/AI">AI</a></li>
 <li><a href="{base}/search/label/半導體">半導體</a></li><li><a href="{base}/search/label/創業">創業</a></li>
 <li><a href="{base}/p/about.html">關於我</a></li><li><a href="{base}/p/contact.html">聯絡我們</a></li>
</ul></div>
<div class="content-outer">
 <div class="main-inner">
  <div class="date-outer">
   <h2 class="date-header"><span>2025年6月9日 星期一</span></h2>
   <div class="post-outer">
    <div class="post hentry" itemscope itemtype="http://schema.org/BlogPosting">
     <a name="5566778899001122334"></a>
     <h3 class="post-title entry-title" itemprop="name">{_esc(_BLOG_TITLE)}</h3>
     <div class="post-header">
      作者:<span class="post-author vcard"><span class="fn" itemprop="author">{_BLOG_AUTHOR}</span></span>
      ・ <abbr class="published" itemprop="datePublished" title="2025-06-09T08:12:00+08:00">上午8:12</abbr>
      ・ 分類:<a href="{base}/search/label/AI" rel="tag">AI</a>
     </div>
     <div class="post-body entry-content" id="post-body-5566778899001122334" itemprop="articleBody">
      <div class="separator"><a href="{base}/img/2025/06/scale-ai-bloomberg.jpg"><img
        src="{base}/img/2025/06/scale-ai-bloomberg-s640.jpg" width="640" height="360" alt="Scale AI 執行長 Alexandr Wang"></a><br>
       <span class="caption">{_esc(caption)}</span></div>
{paras_html}
     </div>
     <div class="post-footer">
      <span class="post-labels">標籤: <a href="{base}/search/label/AI" rel="tag">AI</a>,
       <a href="{base}/search/label/Meta" rel="tag">Meta</a>,
       <a href="{base}/search/label/Scale%20AI" rel="tag">Scale AI</a>,
       <a href="{base}/search/label/創業" rel="tag">創業</a></span>
      <span class="post-share-buttons">分享到:<a href="https://www.facebook.com/sharer.php?u={base}/2025/06/scale-ai-meta.html">Facebook</a>
       <a href="https://social-plugins.line.me/lineit/share?url={base}/2025/06/scale-ai-meta.html">LINE</a>
       <a href="https://x.com/intent/post?url={base}/2025/06/scale-ai-meta.html">X</a></span>
     </div>
    </div>
   </div>
  </div>
  <div class="blog-pager" id="blog-pager">
   <a class="blog-pager-newer-link" href="{base}/2025/06/apple-wwdc-ai.html">« 下一篇:蘋果 WWDC 前瞻:這次 AI 要端出什麼菜?</a>
   <a class="blog-pager-older-link" href="{base}/2025/06/nvidia-earnings-supply-chain.html">上一篇:輝達財報後,AI 伺服器供應鏈還能追嗎? »</a>
  </div>
  <div class="comments" id="comments">
   <h4>{len(comments)} 則留言:</h4>
   <ol class="comment-thread">
{comments_html}
   </ol>
   <p class="comment-footer"><a href="https://www.blogger.com/comment/frame/8123456789012345678?po=5566778899001122334">張貼留言</a></p>
  </div>
 </div>
 <div id="sidebar-wrapper">
  <div class="widget Profile" id="Profile1">
   <h2>關於我</h2>
   <img src="{base}/img/liuye-avatar.png" width="80" height="80" alt="{_BLOG_AUTHOR}">
   <p><a class="profile-name-link" href="https://www.blogger.com/profile/01234567890123456789">{_BLOG_AUTHOR}</a></p>
   <p class="profile-textblock">前科技業產品經理,現在是全職寫字的六爺。每週一早上陪你喝咖啡聊科技與投資。</p>
  </div>
  <div class="widget BlogArchive" id="BlogArchive1">
   <h2>網誌存檔</h2>
   <ul class="hierarchy">
    <li><a class="toggle" href="javascript:void(0)">▼</a> <a href="{base}/2025/">2025</a> (48)
     <ul class="hierarchy">
      <li><a class="toggle" href="javascript:void(0)">▼</a> <a href="{base}/2025/06/">六月</a> (3)
       <ul class="posts">
        <li><a href="{base}/2025/06/scale-ai-meta.html">{_esc(_BLOG_TITLE)}</a></li>
        <li><a href="{base}/2025/06/nvidia-earnings-supply-chain.html">輝達財報後,AI 伺服器供應鏈還能追嗎?</a></li>
        <li><a href="{base}/2025/06/apple-wwdc-ai.html">蘋果 WWDC 前瞻:這次 AI 要端出什麼菜?</a></li>
       </ul></li>
      <li><a class="toggle" href="javascript:void(0)">►</a> <a href="{base}/2025/05/">五月</a> (9)</li>
      <li><a class="toggle" href="javascript:void(0)">►</a> <a href="{base}/2025/04/">四月</a> (8)</li>
     </ul></li>
    <li><a class="toggle" href="javascript:void(0)">►</a> <a href="{base}/2024/">2024</a> (97)</li>
   </ul>
  </div>
  <div class="widget Label" id="Label1">
   <h2>標籤</h2>
   <ul><li><a href="{base}/search/label/AI">AI</a> (132)</li><li><a href="{base}/search/label/半導體">半導體</a> (57)</li>
    <li><a href="{base}/search/label/投資">投資</a> (64)</li><li><a href="{base}/search/label/OpenAI">OpenAI</a> (41)</li>
    <li><a href="{base}/search/label/創業">創業</a> (26)</li><li><a href="{base}/search/label/Meta">Meta</a> (18)</li></ul>
  </div>
 </div>
</div>
<div id="footer">
 <p>© 2025 {_BLOG_NAME} ・ 版權所有,轉載請註明出處。</p>
 <p>簡易主題. 技術提供:<a href="https://www.blogger.com">Blogger</a>.</p>
</div>
<script>{_BLOG_SCRIPT}</script>
</body>
</html>
"""  # noqa: E501
    return Page(
        path=BLOG_PATH,
        body=doc.encode("big5hkscs", errors="xmlcharrefreplace"),
        content_type="text/html; charset=big5",
        headers=(
            ("Last-Modified", "Mon, 09 Jun 2025 00:12:00 GMT"),
            ("Cache-Control", "private, max-age=0"),
            ("X-Content-Type-Options", "nosniff"),
        ),
        expected=expected,
        seed_file=seed,
        chunked=True,
    )


# --------------------------------------------------------------------------- other routes


def _robots_page() -> Page:
    body = "# robots.txt for the seedcrawler fixture site\nUser-agent: *\nDisallow: /private/\n"
    return Page(
        path=ROBOTS_PATH,
        body=body.encode("ascii"),
        content_type="text/plain; charset=utf-8",
        headers=(("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT"),),
    )


def not_found_body() -> bytes:
    """The small HTML body served with every 404 response."""
    return (
        b'<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        b"<title>404 Not Found</title></head>\n"
        b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
        b"<hr><address>fixturesite</address></body></html>\n"
    )


def _missing_page() -> Page:
    return Page(
        path=MISSING_PATH,
        body=not_found_body(),
        content_type="text/html; charset=utf-8",
        status=404,
    )


def _pdf_bytes() -> bytes:
    lines = [
        (20, "Toloka - funding report"),
        (11, "Round: USD 72 million, led by Bezos Expeditions (May 2025)."),
        (11, "Executive chairman: Mikhail Parakhin (Shopify CTO)."),
        (11, "Nebius Group keeps an economic stake but gives up voting control."),
        (11, "Focus: expert human data for SFT, DPO and RLHF."),
    ]
    ops = ["BT", "72 770 Td"]
    for i, (size, line) in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"/F1 {size} Tf")
        if i:
            ops.append(f"0 -{size + 12} Td")
        ops.append(f"({escaped}) Tj")
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    # compressed like nearly every real PDF, so the file is binary, not text-like
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Title (Toloka - funding report) /Author (seedcrawler fixturesite) "
        b"/Producer (seedcrawler fixturesite) /CreationDate (D:20250513083000+02'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + obj + b"\nendobj\n"
    xref_at = len(out)
    size = len(objects) + 1
    out += b"xref\n0 " + str(size).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        b"trailer\n<< /Size " + str(size).encode() + b" /Root 1 0 R /Info 6 0 R >>\n"
        b"startxref\n" + str(xref_at).encode() + b"\n%%EOF"
    )
    return bytes(out)


def _pdf_page() -> Page:
    return Page(
        path=PDF_PATH,
        body=_pdf_bytes(),
        content_type="application/pdf",
        headers=(
            ("Last-Modified", "Tue, 13 May 2025 06:00:00 GMT"),
            ("Content-Disposition", 'inline; filename="toloka-report.pdf"'),
            ("Accept-Ranges", "none"),
        ),
    )
