# ruff: noqa: E501  (markup of the test pages)
"""The generic wall detector (crawler.extract.walls): walls in Chinese, English and French are
recognised on any site; articles, including articles about walls, are not walls."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import PageUnavailable, extract, extract_article
from crawler.extract.walls import detect_wall, judge, page_signals
from crawler.text.decode import decode_html
from crawler.text.generic import parse_html
from tests.hostile import kinds as K
from tests.hostile import payloads as p

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus"
URL = "https://news.example.org/2025/05/06/story.html"


def wall_of(html: str | bytes) -> str | None:
    body = html.encode() if isinstance(html, str) else html
    try:
        extract_article(body, URL, "text/html; charset=utf-8")
    except PageUnavailable as exc:
        assert exc.kind == "blocked"
        return exc.reason
    return None


@pytest.mark.parametrize("path", sorted(K.WALLS), ids=str)
def test_the_hostile_sites_walls_are_recognised(path):
    body, expected = K.WALLS[path]
    reason = wall_of(body)
    assert reason is not None, path
    assert reason.split(":")[0] in expected.split("|"), reason


@pytest.mark.parametrize("html, kind", [
    (p.page("提示", "<p>您的访问出现异常，请完成验证后继续。</p><div id='captcha'></div>", "zh"), "bot_check|captcha"),
    (p.page("Sign in", "<form><input type='password'><button>Sign in</button></form>"), "login_wall"),
    (p.page("", "<iframe src='https://geo.captcha-delivery.com/captcha/?x=1'></iframe>"), "captcha"),
    (p.page("Too Many Requests", "<h1>Too Many Requests</h1>"), "rate_limited"),
    (p.page("403 Forbidden", "<center><h1>403 Forbidden</h1></center><hr><center>nginx</center>"),
     "access_denied"),
    (p.page("Accès refusé", "<p>Accès refusé.</p>", "fr"), "access_denied"),
    (p.page("微信", "<p>当前环境异常，完成验证后即可继续访问。</p>", "zh"), "bot_check|captcha"),
    (p.page("Consent", "<p>Please enable cookies to continue to this site.</p>"), "cookie_wall"),
    (p.page("", "<p>请拖动下方滑块完成拼图</p>", "zh"), "captcha"),
    (p.page("Before you continue", "<h1>Before you continue to Example</h1><p>We use cookies "
            "and data to deliver our services.</p><button>Reject all</button><button>Accept "
            "all</button>"), "cookie_wall"),
    (p.page("Error", "<p>You are making requests too quickly. Wait a minute.</p>"),
     "rate_limited"),
    (p.page("登录", "<p>登录</p><p>手机号</p><p>验证码</p>", "zh"), "login_wall|captcha"),
], ids=["zh-anomaly", "password-form", "datadome", "429-page", "nginx-403", "fr-refuse",
        "wechat-like", "cookies", "jigsaw", "consent", "too-quickly", "login-page"])
def test_walls_of_other_shapes(html, kind):
    reason = wall_of(html)
    assert reason is not None and reason.split(":")[0] in kind.split("|"), reason


def test_articles_are_not_walls():
    for body in (K.GOOD_ZH, K.GOOD_EN, K.GOOD_FR):
        assert extract(body, URL, "text/html; charset=utf-8") is not None
    # An article about captchas, logins and rate limits, with a login box in its header
    page = p.article_html("The quiet reinvention of the CAPTCHA", p.EN_CAPTCHA_ARTICLE,
                          lang="en", header=K.LOGIN_FORM).encode()
    assert wall_of(page) is None


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda path: path.stem)
def test_no_page_of_the_extraction_corpus_is_a_wall(path):
    assert wall_of(path.read_bytes()) is None


def test_a_short_brief_that_mentions_a_wall_word_is_kept():
    brief = p.article_html("警方提醒：谨防验证码诈骗", [
        "近日，市公安局反诈中心接到多起报警，有不法分子冒充客服，以退款为由骗取市民手机验证码。"
        "警方提醒，任何索要验证码的电话都可能是诈骗，请勿向他人透露。",
        "如遇可疑情况，请及时拨打110报警，或下载国家反诈中心应用举报。"]).encode()
    assert wall_of(brief) is None


@pytest.mark.parametrize("prompt, lang", [
    ("You must be logged in to reply to this topic.", "en"),
    ("Vous devez être connecté pour publier un commentaire.", "fr"),
    ("登录后才能发表评论", "zh"),
])
def test_a_thread_under_a_prompt_to_log_in_and_reply_is_no_wall(prompt, lang):
    # a forum thread or a short article, with the site's prompt to take part under it
    posts = {"en": ["If you want to, tell us who the top mentalist in your country is. Obviously top billing goes to Banachek.",
                    "I just recently found out that Banachek originally lived in South Africa. He is from Port Elizabeth."],
             "fr": ["La mairie a annoncé lundi la réouverture de la piscine municipale après six mois de travaux.",
                    "Les horaires d'été s'appliqueront dès le premier juillet, avec une ouverture en soirée le jeudi."],
             "zh": ["市图书馆今日起延长开放时间，工作日开放至晚上九点。",
                    "馆方表示，此举是为了方便上班族在下班后借阅图书。"]}[lang]
    page = p.article_html("A thread", posts, lang=lang).replace("</article>", f"</article><p>{prompt}</p>")
    assert wall_of(page.encode()) is None
    # a page that asks to log in to read is one all the same
    walled = page.replace(prompt, {"en": "You must be logged in to view this page.",
                                   "fr": "Connectez-vous pour lire la suite.",
                                   "zh": "请登录后查看全文"}[lang])
    assert wall_of(walled.encode()) is not None


def test_a_teaser_ending_in_a_login_call_is_a_wall():
    body, _ = K.WALLS["/walls/login-teaser-zh"]
    assert wall_of(body).startswith("login_wall")


def test_judge_keeps_a_long_article_whatever_the_page_shows():
    tree = parse_html(decode_html(K.WALLS["/walls/recaptcha-en"][0], "text/html").text)
    signals = page_signals(tree)
    assert judge(signals, None) is not None
    long_text = " ".join(p.EN_CAPTCHA_ARTICLE)
    assert judge(signals, {"text": long_text, "title": "A long article"}) is None


def test_detect_wall_reads_error_pages_and_ignores_the_rest():
    assert detect_wall(K.CHALLENGE_403, "text/html").kind in ("bot_check", "access_denied")
    assert detect_wall(b'{"error": "forbidden"}', "application/json") is None
    assert detect_wall(K.GOOD_EN, "text/html") is None
    assert detect_wall(b"x" * (600 * 1024), "text/html") is None  # too big to be a wall
