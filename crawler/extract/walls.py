"""Walls and notices on any site: pages that stand between the crawler and an article
(README: "Walls and notices").

A wall is short: a login form, a captcha, a "verify you are human" challenge, a rate-limit
or "access denied" notice, a cookie wall. An article that *mentions* captchas or logins is
long, so every rule here needs the page (or the text extracted from it) to be short, and
looks for phrases or markers that walls use, in Chinese, English and French:

=================  ==============================================================
reason             recognised by
=================  ==============================================================
``login_wall``     请登录后查看, 登录后查看全文, "log in to continue", "you must be
                   logged in", « connectez-vous pour »…; a password field with such words
``captcha``        captcha widgets (reCAPTCHA, hCaptcha, Turnstile, GeeTest, DataDome,
                   PerimeterX, AWS WAF, Tencent, NetEase Yidun, Aliyun), 验证码, 滑动验证,
                   "I'm not a robot", « je ne suis pas un robot »…
``bot_check``      JavaScript challenges (Cloudflare "Just a moment...", Incapsula, Akamai
                   "Pardon Our Interruption"), "verify you are human", 环境异常,
                   « vérifiez que vous êtes humain »…
``rate_limited``   "too many requests", "rate limit exceeded", 访问过于频繁, « trop de
                   requêtes »…
``access_denied``  "access denied", "you have been blocked", 访问被拒绝, 禁止访问,
                   « accès refusé »…
``cookie_wall``    "enable cookies", "accept cookies to continue", 请启用Cookie,
                   « acceptez les cookies pour continuer »…
=================  ==============================================================

:func:`page_signals` reads a parsed page that extraction has not pruned; :func:`judge`
decides from the extracted article (or None) and, only when that leaves it open (no article,
or a short one), from those signals. Site adapters keep their own, more precise rules
(Weibo, WeChat).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["PageSignals", "Wall", "judge", "page_signals"]

# Visible text sizes, in "weighted characters": a CJK character counts 3 (it carries about
# as much as an English word does in 3-6 letters).
#: a page (all its visible text) this small that says a wall phrase is a wall
SHORT_PAGE = 1500
#: a page with a captcha widget or a challenge script is a wall up to this size...
MARKED_PAGE = 4000
#: ...unless extraction finds an article this long without a wall phrase in it
REAL_ARTICLE = 900
#: an extracted text this short that says a wall phrase is the wall's text
SHORT_TEXT = 1200
#: an extracted text this short is no article of its own (a widget's caption, a form label)
STUB_TEXT = 300

# Sentences only walls say (their calls to action), lowercased.
_PHRASES: dict[str, tuple[str, ...]] = {
    "login_wall": (
        "请登录后查看", "登录后查看", "登录后才能查看", "登录后可查看", "登录后才可以查看",
        "登录查看全文", "登录后阅读", "登录后继续", "请先登录", "请登录后再", "您需要登录",
        "需要登录才能", "登入後查看", "請登入後查看", "請先登入", "登入後才能",
        "log in to continue", "login to continue", "sign in to continue", "log in to view",
        "login to view", "sign in to view", "log in to read", "sign in to read",
        "you must be logged in", "you need to log in", "you need to sign in",
        "log in or sign up to", "connectez-vous pour", "veuillez vous connecter pour",
        "vous devez être connecté", "vous devez vous connecter", "identifiez-vous pour",
        "connectez-vous afin",
        "登录后方可", "您需要先登录", "登录后可继续", "扫码登录后", "log in to see",
        "sign in to see", "you need to be logged in", "you need to be signed in",
        "login to read", "sign in to access", "log in to access", "veuillez vous identifier",
        "identifiez-vous", "connectez-vous ou créez",
        "connectez-vous pour accéder",
    ),
    "captcha": (
        "请输入验证码", "请输入图片中的", "滑动验证", "拖动滑块", "向右滑动", "请按住滑块",
        "请完成安全验证",
        "请完成验证", "完成验证后", "點擊驗證", "请输入下方验证码", "请点击下图中",
        "i'm not a robot", "i am not a robot", "complete the security check",
        "solve this puzzle", "type the characters you see", "enter the characters you see",
        "je ne suis pas un robot", "complétez la vérification", "saisissez les caractères",
        "请输入图中", "图形验证码", "拖动下方滑块", "完成拼图", "点击完成验证", "请完成下方验证",
        "please complete the captcha", "complete the captcha", "solve the captcha",
        "prove you are human", "cochez la case", "veuillez résoudre",
    ),
    "bot_check": (
        "您的访问出现异常", "检测到异常流量", "检测到您的网络环境异常", "正在验证您的浏览器",
        "当前环境异常", "verify you are human", "verify that you are human",
        "verifying you are human", "verify you're human", "confirm you are human",
        "confirm that you are human", "checking your browser",
        "checking if the site connection is secure", "enable javascript and cookies to continue",
        "our systems have detected unusual traffic", "press & hold", "press and hold to confirm",
        "pardon our interruption", "vérifiez que vous êtes humain",
        "vérifier que vous êtes humain", "vérifions que vous êtes humain",
        "vérification de votre navigateur",
        "please verify you are a human", "verify you are a human", "confirm you're not a robot",
        "make sure you're not a robot", "making sure you're not a bot",
        "checking if you are a human",
        "请证明你不是机器人", "人机身份验证", "vérifions que vous n'êtes pas un robot",
        "nous devons vérifier que vous",
    ),
    "rate_limited": (
        "访问过于频繁", "访问太频繁", "请求过于频繁", "操作过于频繁", "访问频率过高",
        "访问频率太高",
        "请求太频繁", "過於頻繁", "rate limit exceeded", "you have been rate limited",
        "request limit exceeded", "you are being rate limited", "too many requests from",
        "trop de requêtes", "trop de demandes",
        "请求频率过快", "访问太快", "您的请求过于频繁", "操作太频繁",
        "you are making requests too quickly",
        "too many requests, please", "please slow down",
    ),
    "access_denied": (
        "您没有权限访问", "没有访问权限", "您的ip已被", "ip被封",
        "access to this page has been denied",
        "you don't have permission to access", "you do not have permission to access",
        "you have been blocked", "sorry, you have been blocked", "this request was blocked",
        "request unsuccessful. incapsula", "vous n'avez pas l'autorisation d'accéder",
        "vous avez été bloqué", "l'accès à cette page a été refusé",
        "your access to this site has been", "access to this resource is denied",
        "you are not allowed to access", "accès non autorisé",
    ),
    "cookie_wall": (
        "请启用cookie", "请开启cookie", "启用cookie后", "請啟用cookie",
        "enable cookies to continue",
        "cookies must be enabled", "cookies are required to", "accept cookies to continue",
        "accept all cookies to continue", "accept cookies to access", "please enable cookies",
        "acceptez les cookies pour", "accepter les cookies pour", "activez les cookies",
        "veuillez activer les cookies", "accepter et continuer", "acceptez et continuez",
        "before you continue to", "avant de continuer vers",
    ),
}

# Words walls use that articles use too ("a scam with SMS 验证码"): they count only on a
# tiny page, or next to a wall title, a captcha widget or a password field.
_WORDS: dict[str, tuple[str, ...]] = {
    "captcha": ("验证码", "驗證碼", "安全验证", "人机验证", "captcha", "not a robot", "robot check",
                "vérification de sécurité"),
    "bot_check": ("环境异常", "访问异常", "异常访问", "are you a robot", "are you a human",
                  "unusual traffic", "just a moment", "human verification", "êtes-vous un robot",
                  "trafic inhabituel"),
    "rate_limited": ("too many requests", "rate limited", "slow down", "limite de requêtes",
                     "请稍后再试", "réessayez plus tard", "try again later"),
    "access_denied": ("访问被拒绝", "拒绝访问", "禁止访问", "无权访问", "访问受限", "拒絕存取",
                      "您所在的地区", "暂不支持您所在",
                      "access denied", "forbidden", "request blocked", "accès refusé",
                      "accès interdit", "accès restreint", "not available in your country",
                      "n'est pas disponible dans votre pays"),
    "login_wall": ("请登录", "登录", "登入", "please log in", "please sign in", "login required",
                   "sign in", "log in", "veuillez vous connecter", "connexion requise",
                   "se connecter"),
    "cookie_wall": ("cookies are disabled", "enable cookies", "vos choix concernant les cookies",
                    "we use cookies", "nous utilisons des cookies", "accept all cookies",
                    "tout accepter", "我们使用cookie"),
}
#: a page this small (weighted) is a notice if it says one of those words
TINY_PAGE = 600

# Whole titles that walls use (after collapsing spaces, lowercased).
_TITLES: dict[str, tuple[str, ...]] = {
    "bot_check": ("just a moment...", "just a moment", "attention required! | cloudflare",
                  "pardon our interruption", "security check", "verification", "vérification",
                  "安全验证", "访问验证", "人机验证", "请稍候…", "one more step",
                  "bot verification",
                  "are you a robot?", "ddos-guard"),
    "captcha": ("captcha", "验证码", "驗證碼", "robot check", "robot or human?"),
    "access_denied": ("access denied", "403 forbidden", "forbidden", "accès refusé",
                      "访问被拒绝", "禁止访问", "error 1020", "request rejected", "blocked"),
    "rate_limited": ("too many requests", "429 too many requests", "rate limited",
                     "访问过于频繁", "trop de requêtes"),
    "login_wall": ("login", "log in", "sign in", "登录", "用户登录", "登入", "connexion",
                   "se connecter", "identification"),
}

# Markup of captcha widgets and JavaScript challenges (attribute values and script URLs),
# lower case: they are searched for in the lowered markup (IGNORECASE is several times slower).
_MARKERS = (
    ("captcha", re.compile(
        r"g-recaptcha|recaptcha/api|h-captcha|hcaptcha\.com|cf-turnstile|challenges\.cloudflare"
        r"\.com/turnstile|geetest|captcha-delivery\.com|px-captcha|captcha\.awswaf|"
        r"tcaptcha|turing\.captcha|cstaticdun|nc_1_wrapper|nocaptcha|aliyuncaptcha|"
        r"frc-captcha|id=\"captcha|name=\"captcha|captcha_?img|/captcha")),
    ("bot_check", re.compile(
        r"/cdn-cgi/challenge-platform|_cf_chl_opt|cf-browser-verification|cf_chl_|"
        r"_incapsula_resource|incapsula incident|distil_r_captcha|ak_bmsc|"
        r"/_sec/cp_challenge|ddos-guard")),
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")
# (script and style hold only text: their text nodes are their children)
_VISIBLE_XPATH = "//body//text()[not(parent::script or parent::style or ancestor::template)]"
_MARKUP_XPATH = ("//@class | //@id | //@name | //@src | //@action | //@data-sitekey | "
                 "//script/text()")
_MAX_MARKUP = 200_000


@dataclass(frozen=True)
class Wall:
    """A page that is a wall, not an article.

    :param kind: ``login_wall``, ``captcha``, ``bot_check``, ``rate_limited``,
        ``access_denied`` or ``cookie_wall``
    :param evidence: the phrase, title or marker that gave it away
    """

    kind: str
    evidence: str

    @property
    def reason(self) -> str:
        """The reason recorded in ``errors.error``, e.g. ``captcha: 请输入验证码``."""
        return f"{self.kind}: {self.evidence}"


@dataclass(frozen=True)
class PageSignals:
    """What a page shows before extraction prunes it."""

    title: str
    text: str  # the visible text, spaces collapsed
    size: int  # its weighted size
    marker: tuple[str, str] | None  # (kind, matched markup)
    password: bool  # a password field


def weighted_size(text: str) -> int:
    """Length with CJK characters counted three times."""
    return len(text) + 2 * len(_CJK.findall(text))


# What follows a login phrase on a page that is no wall: the prompt under a forum thread or an
# article to take part ("You must be logged in to reply to this topic", "登录后发表评论").
_PARTICIPATION_RE = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?(?:(?:in order\s+)?(?:to|pour|afin de)\s+)?(?:\w+\s+){0,2}?"
    r"(?:reply|post|comment|leave a (?:reply|comment)|add (?:a )?comment|vote|like|answer|join"
    r"|participate|rate|review|follow|message|upload|create|submit|write|répondre|commenter"
    r"|publier|réagir|participer|voter)"
    r"|^[\W\s]{0,3}(?:才能|才可|方可|可以|可|即可|再)?(?:发表|發表|评论|評論|回复|回覆|回帖|发言|發言"
    r"|发帖|發帖|留言|参与|參與|点赞|點讚|投票|收藏|评分|評分)"
)
_PARTICIPATION_SPAN = 40


def _is_participation(lowered: str, phrase: str) -> bool:
    """Whether every occurrence of a login phrase is a prompt to take part, not a wall."""
    start = lowered.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if not _PARTICIPATION_RE.match(lowered[end:end + _PARTICIPATION_SPAN]):
            return False
        start = lowered.find(phrase, end)
    return True


def _find_phrase(text: str, kinds: tuple[str, ...] | None = None,
                 table: dict[str, tuple[str, ...]] = _PHRASES) -> Wall | None:
    lowered = text.lower()
    for kind, phrases in table.items():
        if kinds is not None and kind not in kinds:
            continue
        for phrase in phrases:
            if phrase in lowered and not (kind == "login_wall"
                                          and _is_participation(lowered, phrase)):
                return Wall(kind, phrase)
    return None


def _title_wall(title: str) -> Wall | None:
    lowered = _SPACE.sub(" ", title).strip().lower()
    if not lowered:
        return None
    for kind, titles in _TITLES.items():
        if lowered in titles:
            return Wall(kind, title.strip()[:80])
    return None


def page_signals(tree: HtmlElement) -> PageSignals:
    """Read the signals of a parsed page (call before extraction, which prunes the tree).

    :param tree: the page as ``crawler.text.generic.parse_html`` parses it
    """
    titles = tree.xpath("//title/text()")
    title = _SPACE.sub(" ", " ".join(titles)).strip() if titles else ""
    text = " ".join(" ".join(tree.xpath(_VISIBLE_XPATH)).split())  # spaces collapsed
    markup_parts: list[str] = []
    total = 0
    for value in tree.xpath(_MARKUP_XPATH):
        value = str(value)
        markup_parts.append(value)
        total += len(value)
        if total > _MAX_MARKUP:
            break
    markup = " ".join(markup_parts)
    lowered = markup.lower()
    marker = None
    for kind, pattern in _MARKERS:
        match = pattern.search(lowered)
        if match:
            # as written, where lowering kept the length (it does for ASCII)
            found = markup[match.start():match.end()] if len(lowered) == len(markup) \
                else match.group(0)
            marker = (kind, found)
            break
    password = bool(tree.xpath("//input[translate(@type, 'PASWORD', 'pasword') = 'password']"))
    return PageSignals(title, text, weighted_size(text), marker, password)


def judge(signals: PageSignals | Callable[[], PageSignals | None],
          article: dict[str, Any] | None) -> Wall | None:
    """Whether the page is a wall, from its signals and what extraction made of it.

    :param signals: from :func:`page_signals`, or a function that reads them (from a fresh
        parse: extraction pruned the first), called only when the article is too short to
        settle it, which a long article is (reading them costs as much as a fifth of an
        extraction on a large page)
    :param article: the extracted article (``text``, ``title``), or None when there is none
    :return: the wall, or None for a page that may become an article
    """
    text = (article or {}).get("text") or ""
    size = weighted_size(text)
    # 1. An extracted text that is itself a short wall notice (or a teaser ending in one).
    if article and size < SHORT_TEXT:
        wall = _find_phrase(text) or _find_phrase(article.get("title") or "")
        if wall is not None:
            return wall
    if article and size >= REAL_ARTICLE:
        return None  # an article, whatever the page around it shows
    if callable(signals):
        signals = signals()
        if signals is None:
            return None
    # 2. A small page whose title or text is a wall's.
    title_wall = _title_wall(signals.title)
    if title_wall is not None and signals.size < MARKED_PAGE:
        return title_wall
    marked = signals.marker is not None or signals.password
    if signals.size < SHORT_PAGE:
        wall = _find_phrase(signals.text) or _find_phrase(signals.title)
        if wall is None and (marked or (article is None and signals.size < TINY_PAGE)):
            wall = (_find_phrase(signals.text, table=_WORDS)
                    or _find_phrase(signals.title, table=_WORDS))
        if wall is not None:
            return wall
    # 3. A captcha widget, a challenge script or a login form, and next to no article.
    if (article is None or size < STUB_TEXT) and signals.size < MARKED_PAGE:
        if signals.marker is not None:
            kind, found = signals.marker
            return Wall(kind, found[:80])
        if signals.password:
            login = (_find_phrase(signals.text, ("login_wall",))
                     or _find_phrase(signals.text, ("login_wall",), _WORDS))
            if login is not None:
                return login
            if signals.size < SHORT_PAGE:
                return Wall("login_wall", "a password field")
    return None


def detect_wall(body: bytes, content_type: str | None = None,
                max_bytes: int = 512 * 1024) -> Wall | None:
    """The wall an HTML body shows, judged without extraction (for error pages: a 403 or
    429 page that is a captcha or a login form); None if it shows none or is not HTML.

    :param max_bytes: bodies past this size are not looked at (walls are small)
    """
    from crawler.text.decode import decode_html
    from crawler.text.generic import is_html, parse_html

    if not body or len(body) > max_bytes or not is_html(content_type, body):
        return None
    tree = parse_html(decode_html(body, content_type).text)
    if tree is None:
        return None
    return judge(page_signals(tree), None)
