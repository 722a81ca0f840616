"""confirmed_title: the headline of a Latin-script page where trafilatura's title is the
site's name, a label, or the headline with a page title's extra parts."""

import pytest
from trafilatura.utils import load_html

from crawler.extract import extract
from crawler.text.headlines import confirmed_title

HEADLINE = "Fit pill could treat obesity and related disorders"


def _logo(name: str) -> str:
    return f'<a href="/">{name}</a>'


def _page(title: str | None = None, og_title: str | None = None, h1s: tuple = (),
          h2s: tuple = ()) -> str:
    head = "" if title is None else f"<title>{title}</title>"
    if og_title is not None:
        head += f'<meta property="og:title" content="{og_title}">'
    headings = "".join(f"<h1>{h}</h1>" for h in h1s) + "".join(f"<h2>{h}</h2>" for h in h2s)
    return f"<html><head>{head}</head><body>{headings}<p>text</p></body></html>"


@pytest.mark.parametrize(
    ("title", "page", "expected"),
    [
        # the site's logo is the <h1>, the headline an <h2> the <title> confirms
        ("SlashGear", _page(f"{HEADLINE} - SlashGear", h1s=[_logo("SlashGear")], h2s=[HEADLINE]),
         HEADLINE),
        ("News & Star", _page(f"News & Star | Opinion | Mark Green | {HEADLINE}",
                              h1s=[_logo("News & Star"), HEADLINE]), HEADLINE),
        ("Radio New Zealand", _page(f"Radio NZ : News : National : {HEADLINE}",
                                    h1s=[_logo("Radio New Zealand")], h2s=[HEADLINE]),
         HEADLINE),
        # a headline in no page title stands beside a section's heading the <title> holds
        (HEADLINE, _page("News | National Post", h1s=["News", HEADLINE]), HEADLINE),
        # a one-word label, part of the site's name in the <title>
        ("News", _page(f"{HEADLINE} | Scotland | STV News", h1s=["News", HEADLINE]), HEADLINE),
        # the headline with a section the <title> adds, the heading without it
        (f"{HEADLINE} - Latest International News",
         _page(f"{HEADLINE} - Latest International News - Keep up with Newstalk ZB",
               h2s=[HEADLINE, "Latest International News"]), HEADLINE),
        # the <title> with the site's names after the og:title
        ("Dad, I ate my icecream money | Bay of Plenty News | Local News in Bay of Plenty",
         _page("Dad, I ate my icecream money | Bay of Plenty News | Local News in Bay of "
               "Plenty", og_title="Dad, I ate my icecream money"),
         "Dad, I ate my icecream money"),
        ("Man denies infecting women with HIV (From Basingstoke Gazette)",
         _page("Man denies infecting women with HIV (From Basingstoke Gazette)",
               og_title="Man denies infecting women with HIV"),
         "Man denies infecting women with HIV"),
        # a label no page title holds: og:title, else the longest part of <title>
        ("Calgary Herald", _page(HEADLINE, og_title=HEADLINE, h1s=[_logo("Calgary Herald")]),
         HEADLINE),
        ("Funding your retirement", _page(HEADLINE, og_title=HEADLINE,
                                          h1s=[_logo("Funding your retirement")]), HEADLINE),
        ("In Pictures", _page(f"{HEADLINE} : Ghana Business News", h2s=["In Pictures"]),
         HEADLINE),
        # these stand: a title that is og:title, with a longer <h2> the <title> holds
        ("WTF? What's The Future?", _page(
            "WTF? What's The Future? - From the WTF? Economy to the Next Economy",
            og_title="WTF? What's The Future?", h1s=["WTF? What's The Future?"],
            h2s=["From the WTF? Economy to the Next Economy"]), "WTF? What's The Future?"),
        # a short <h1> inside a part of the <title>, beside its artist's <h2>
        ("Purple Rain", _page("Prince and the Revolution – Purple Rain Lyrics | Genius Lyrics",
                              h1s=["Purple Rain"], h2s=["Prince and the Revolution"]),
         "Purple Rain"),
        ("Lust for Youth", _page("Lust for Youth: Lust for Youth Album Review | Pitchfork",
                                 h1s=["Lust for Youth"]), "Lust for Youth"),
        # og:title and the first <h1>, a longer <h1> the <title> holds after them
        ("NHS whistleblowers must be protected",
         _page("Response: NHS whistleblowers must be protected | Comment is free",
               og_title="NHS whistleblowers must be protected",
               h1s=["NHS whistleblowers must be protected",
                    "Response: NHS whistleblowers must be protected"]),
         "NHS whistleblowers must be protected"),
        # a short headline a page title holds is no label
        ("Tram strike ends", _page("Tram strike ends | The Courier", h1s=["The Courier"]),
         "Tram strike ends"),
        # a page title beginning with a heading of one of its parts is still the title
        ("Brexit - the deal explained", _page("Brexit - the deal explained", h2s=["Brexit"]),
         "Brexit - the deal explained"),
        # the page's own <h1>, not a link, stands however short, beside a slogan, a section
        # or a lead-in label the page titles hold
        ("Storm hits coast", _page("Daily Gazette - Your source for local news and weather",
                                   h1s=["Storm hits coast"]), "Storm hits coast"),
        ("Jane Smith", _page("Jane Smith | Obituaries and Death Notices | Gazette",
                             h1s=["Jane Smith"], h2s=["Obituaries and Death Notices"]),
         "Jane Smith"),
        ("Cannes : le palmarès complet", _page("Cannes : le palmarès complet - Le Monde",
                                               h1s=["Cannes : le palmarès complet"],
                                               h2s=["Cannes"]),
         "Cannes : le palmarès complet"),
        # the page's one headline, the page titles worded for search engines: the <h1>
        ("5 Best Blockchain Development Trends for 2026-2030",
         _page("5 Best Blockchain Development Trends for 2026-2030",
               og_title="5 Best Blockchain Development Trends for 2026-2030",
               h1s=["Top 5 Blockchain Technology Trends to Watch in 2026-2030"]),
         "Top 5 Blockchain Technology Trends to Watch in 2026-2030"),
        # ...not an <h1> of other words, one of several, one with a kicker or the site's
        # names run into it, or one a misread byte spoils
        (HEADLINE, _page(HEADLINE, og_title=HEADLINE, h1s=["Subscribe to our weekly newsletter"]),
         HEADLINE),
        (HEADLINE, _page(HEADLINE, og_title=HEADLINE,
                         h1s=["Obesity drug trial results", "Another story on the page"]),
         HEADLINE),
        (HEADLINE, _page(HEADLINE, og_title=HEADLINE, h1s=[f"Health {HEADLINE}"]), HEADLINE),
        # ...nor a section's <h1> sharing only short words with the headline, or one beside
        # an <h2> that prints the page title's headline
        ("Time to fix the roads before the winter",
         _page("Time to fix the roads before the winter | Gazette",
               og_title="Time to fix the roads before the winter",
               h1s=["Letters to the Editor"]), "Time to fix the roads before the winter"),
        ("Actualités de la région : la mairie rénove le vieux pont",
         _page("Actualités de la région : la mairie rénove le vieux pont",
               h1s=["Actualités de la région"], h2s=["la mairie rénove le vieux pont"]),
         "Actualités de la région : la mairie rénove le vieux pont"),
        (HEADLINE, _page(HEADLINE, og_title=HEADLINE, h1s=[f"{HEADLINE} | Health | News"]),
         HEADLINE),
        ("Nationale Demo / Der 9. Juli naht",
         _page(None, og_title="Nationale Demo / Der 9. Juli naht",
               h1s=["<span>Nationale Demo</span>Der 9. Juli naht"]),
         "Nationale Demo / Der 9. Juli naht"),
        ("Simple jab that could cure Britains obesity crisis",
         _page(None, og_title="Simple jab that could cure Britains obesity crisis",
               h1s=["SIMPLE JAB THAT COULD CURE BRITAIN\x92S OBESITY CRISIS"]),
         "Simple jab that could cure Britains obesity crisis"),
        # an <svg>'s <title> is no page title
        ("Calgary Herald", "<html><body><svg><title>Share on Facebook now</title></svg>"
                           f"<h1>{_logo('Calgary Herald')}</h1></body></html>", "Calgary Herald"),
        # no page title: nothing to confirm by
        ("Calgary Herald", _page(None, h1s=["Calgary Herald"]), "Calgary Herald"),
        # Chinese titles are headline()'s
        ("新浪网", _page("国务院常务会议部署稳就业_新浪网", h1s=["新浪网"]), "新浪网"),
    ],
)  # fmt: skip
def test_confirmed_title(title, page, expected):
    assert confirmed_title(load_html(page), title) == expected


def test_the_pages_one_headline_beside_a_footers_h1_and_printed_twice():
    page = ("<html><head><title>Easy Car Maintenance Checklist | Farm Bureau</title>"
            '<meta property="og:title" content="Easy Car Maintenance Checklist | Farm Bureau">'
            "</head><body><h1>A Car Maintenance Schedule That Is Easy to Follow</h1><p>text</p>"
            "<footer><h1>Select Your Location</h1></footer></body></html>")
    tree = load_html(page)
    assert confirmed_title(tree, "Easy Car Maintenance Checklist | Farm Bureau") == (
        "A Car Maintenance Schedule That Is Easy to Follow")
    twice = page.replace("<footer><h1>Select Your Location</h1></footer>",
                         "<h1>A Car Maintenance Schedule That Is Easy to Follow</h1>")
    assert confirmed_title(load_html(twice), "Easy Car Maintenance Checklist | Farm Bureau") == (
        "A Car Maintenance Schedule That Is Easy to Follow")


def test_the_one_headline_beside_an_open_modal_and_the_sites_name_in_a_heading():
    title = "Fed makes big rate cut as inflation eases - Economy - The Daily Ledger"
    page = (f"<html><head><title>{title}</title></head><body class='single-post modal-open'>"
            "<h1>Fed makes jumbo cut as inflation cools</h1><p>text</p>"
            "<h3>The Daily Ledger</h3></body></html>")
    assert confirmed_title(load_html(page), title) == "Fed makes jumbo cut as inflation cools"


def test_extract_takes_the_headline_over_a_logo_heading():
    paragraphs = "".join(
        f"<p>Paragraph {i}: the researchers gave the pill to mice on a high-fat diet for twelve "
        "weeks, and the treated animals gained a third less weight.</p>" for i in range(4))
    html = (f"<html><head><title>{HEADLINE}</title>"
            f'<meta property="og:title" content="{HEADLINE}"></head><body>'
            "<div id='logo'><h1>Calgary Herald</h1></div><div class='story'>"
            f"{paragraphs}</div></body></html>")
    result = extract(html.encode(), url="https://www.example.com/health/story.html")
    assert result is not None and result["title"] == HEADLINE
