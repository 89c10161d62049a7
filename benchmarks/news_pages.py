# ruff: noqa: E501  (page templates read best one tag run per line)
"""A collection of news pages written for benchmarks/extraction.py, with gold text and metadata.

Twelve invented articles are laid out in twelve page shapes seen on real news sites: WordPress
with widgets and comments, a layout wrapper whose class contains "ad" (latimes), one with
"modal" (nypost), an ASP.NET page inside one <form> with a layout table, pages without <article>
or <main>, cookie banners and paywall prompts, inline "related coverage" boxes, JSON-LD bylines,
dates in meta tags, JSON-LD or only in visible text, comment threads, footers and story lists.
Every page is built from the same article record, so its gold text is known exactly.
Nothing here is copied from a real site; the article texts are invented.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Story:
    title: str
    authors: tuple[str, ...]
    published: str  # ISO date
    paragraphs: tuple[str, ...]
    subhead: str = ""  # a subheading shown before the last two paragraphs


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    gold_text: str
    published: str
    authors: tuple[str, ...]  # as the page states them ("" when it names nobody)


STORIES = (
    Story(
        "Harbour bridge reopens after two-year repair",
        ("Eleanor Briggs",),
        "2024-05-14",
        (
            "The Harbour Bridge reopened to traffic on Tuesday morning, two years after engineers found "
            "corrosion in its main cables.",
            "The repair cost the city council 48 million pounds, about 9 million more than the estimate "
            "approved in 2022.",
            '"It is a relief for everyone who has sat in the detour queues," said council leader Amira Shah, '
            "who drove across in the first car.",
            "Contractors replaced 112 of the 240 hanger cables and repainted the whole steel deck, a job that "
            "was held up by a cold winter.",
            "Buses will return to the bridge from Monday, and a weight limit of 18 tonnes remains in place "
            "until the final inspection in July.",
        ),
        "Work ran late",
    ),
    Story(
        "Valley farmers count the cost of the late frost",
        ("Tomas Novak",),
        "2024-04-23",
        (
            "Fruit growers in the upper valley lost up to half of their apple blossom when temperatures fell "
            "to minus four degrees on Sunday night.",
            "The farmers' association said the frost came three weeks later than any it had recorded since "
            "1987.",
            "Orchard owner Petra Lind said her family had lit more than 300 candles between the rows, but the "
            "cold air still settled in the lower fields.",
            "Pear and cherry trees, which flower earlier, were mostly spared.",
            "The regional government will decide next month whether growers can apply for emergency support.",
        ),
    ),
    Story(
        "County approves new water treatment plant",
        (),
        "2024-03-18",
        (
            "The county board voted five to two on Monday to build a new water treatment plant on the east "
            "bank of the river.",
            "The plant will cost 62 million dollars and is expected to serve about 40,000 households when it "
            "opens in 2027.",
            "Board chair Denise Walker said the current plant, built in 1964, can no longer meet state limits "
            "on nitrates.",
            "Two members voted against the plan, arguing that the county should first repair leaking mains.",
        ),
    ),
    Story(
        "State lawmakers pass wildfire insurance bill",
        ("Daniel Okafor",),
        "2023-09-12",
        (
            "The state Senate passed a bill on Tuesday that requires insurers to keep offering policies in "
            "areas with high wildfire risk.",
            "The measure passed 31 to 8 after an amendment that lets companies raise premiums by up to 12 "
            "percent a year.",
            'Insurance commissioner Rosa Mendez called the vote "a first step, not a solution" and said her '
            "office would publish the new rules by January.",
            "Three large insurers stopped writing new home policies in the state last year.",
            "Consumer groups said the premium cap was too generous and vowed to challenge it in court.",
        ),
        "What comes next",
    ),
    Story(
        "Subway fare rise delayed until spring",
        ("Kevin Marsh",),
        "2024-01-08",
        (
            "The transit authority postponed a planned 15-cent subway fare increase on Monday, saying it "
            "would wait for the state budget.",
            "The board had been expected to approve the rise this month, taking the base fare to 3.05 dollars.",
            "Riders' groups welcomed the delay, while the authority's finance chief warned of a 600 million "
            "dollar gap next year.",
            "Ridership has recovered to about 70 percent of its level before the pandemic.",
        ),
    ),
    Story(
        "Local agency wins national award for recycling campaign",
        ("Sofia Russo",),
        "2022-11-30",
        (
            "A twelve-person agency from Leeds won the national public service advertising award on Tuesday "
            "for a campaign that doubled glass recycling in its city.",
            "The campaign used bottle-shaped bins painted by local schoolchildren.",
            "The city council says collections rose from 210 to 430 tonnes a month after the bins went up.",
            'Jury chair Helen Carter said the work showed "that a small budget and a clear idea still beat a '
            'big media spend."',
            "The agency plans to offer the bin designs free of charge to other councils.",
        ),
    ),
    Story(
        "Library extends opening hours on weekends",
        ("Grace Lee",),
        "2024-02-20",
        (
            "The central library will stay open until 8 p.m. on Saturdays and Sundays from March, the town "
            "council announced on Tuesday.",
            "The change follows a survey in which 1,200 residents asked for longer weekend hours for study "
            "space.",
            "Librarian Omar Haddad said the extra hours would be covered by two new part-time posts.",
            "The children's section will also open an hour earlier on Saturday mornings.",
        ),
    ),
    Story(
        "Hospital opens first rapid stroke unit in the region",
        ("Priya Natarajan", "Lukas Weber"),
        "2023-10-03",
        (
            "The general hospital opened the region's first rapid stroke unit on Monday, with a scanner "
            "placed next to the ambulance bay.",
            "Doctors say the layout can cut the time from arrival to treatment from about an hour to under "
            "30 minutes.",
            '"Every minute we save keeps about two million brain cells alive," said neurologist Dr. Anna Berg.',
            "The unit has eight beds and a team of 40 nurses and therapists.",
            "It was paid for by a 14 million euro grant from the health ministry and a local charity appeal.",
            "Patients from the two neighbouring districts will be brought to the unit from November.",
        ),
        "Faster scans",
    ),
    Story(
        "Port strike ends after pay deal",
        ("Marco Bianchi",),
        "2024-06-27",
        (
            "Dock workers at the country's largest container port returned to work on Thursday after a "
            "nine-day strike over pay.",
            "The union accepted an offer of a 7.5 percent rise this year and 4 percent next year.",
            "The port operator said about 60 ships had been waiting offshore and it would take two weeks to "
            "clear the backlog.",
            "Retailers had warned that shelves could empty before the summer holidays.",
        ),
    ),
    Story(
        "University to build solar farm on former airfield",
        ("Hannah Osei",),
        "2023-03-09",
        (
            "The university will build a 20-megawatt solar farm on a former military airfield it bought in "
            "2019, its governing council decided on Wednesday.",
            "The farm is expected to cover about 40 percent of the campus's electricity use from 2025.",
            "Vice-chancellor James Moore said the project would pay for itself in about eleven years.",
            "Students and staff will be able to use part of the site for research on grassland plants grown "
            "between the panels.",
            "Local residents had objected to an earlier plan for a logistics depot on the same land.",
        ),
        "Research site",
    ),
    Story(
        "Ferry operator adds winter crossings to the islands",
        (),
        "2022-12-01",
        (
            "The ferry operator will run a second daily crossing to the outer islands from January to March, "
            "it said in a statement on Thursday.",
            "Until now the islands have had one boat a day in winter, leaving at 7 a.m. from the mainland.",
            "The extra crossing will leave at 4 p.m. and return the next morning.",
            "Island councils had asked for the change for three years, saying the single boat made hospital "
            "visits difficult.",
        ),
    ),
    Story(
        "City tests driverless buses on airport route",
        ("Yuki Tanaka",),
        "2024-08-15",
        (
            "Two driverless electric buses began carrying passengers between the airport and the central "
            "station on Wednesday in a six-month trial.",
            "A safety steward rides on every bus and can stop it with a button, the transport department said.",
            "The buses travel at up to 40 kilometres an hour on a lane shared with taxis.",
            "The trial costs 3.2 million dollars, half of it paid by the bus maker.",
            "If it succeeds, the city wants to add four more routes by 2026.",
        ),
        "Passengers' verdict",
    ),
)

MORE_STORIES = (
    "Storm warning for the coast this weekend",
    "Council tax to rise by 4.9 per cent",
    "Police appeal after bike thefts near the station",
    "New cycle lane opens on the quay",
    "School bus timetable changes from May",
    "Mayor opens new library wing",
    "Water rates to rise next year",
    "Cheese festival returns to the square",
    "Road closures for the spring marathon",
    "Local choir wins national prize",
)
COMMENTS = (
    ("Bob1962", "About time! I have been asking for this for years and nobody listened."),
    ("Sally M", "Who is paying for this? My bills went up again last month."),
    ("concerned_resident", "Typical. They announce it before the election and then nothing happens."),
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paras(story: Story, tag: str = "p", attrs: str = "") -> str:
    out = []
    for i, p in enumerate(story.paragraphs):
        if story.subhead and i == len(story.paragraphs) - 2:
            out.append(f"<h2>{_e(story.subhead)}</h2>")
        out.append(f"<{tag}{attrs}>{_e(p)}</{tag}>")
    return "\n".join(out)


def _list(n: int, start: int, cls: str = "") -> str:
    items = "".join(
        f'<li><a href="/news/{k}">{_e(MORE_STORIES[(start + k) % len(MORE_STORIES)])}</a></li>'
        for k in range(n)
    )
    return f'<ul class="{cls}">{items}</ul>'


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _byline(story: Story) -> str:
    return " and ".join(story.authors)


def _jsonld(story: Story, site: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": f"{story.published}T08:30:00+00:00",
        "dateModified": f"{story.published}T16:00:00+00:00",
        "author": [{"@type": "Person", "name": a} for a in story.authors],
        "publisher": {"@type": "Organization", "name": site},
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _head(title: str, extra: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"page": "article"});</script>\n'
        f"{extra}\n{_STYLE}\n{_STATE}\n</head>\n"
    )


# The bulk of a real page (a median news page is a few hundred KB): inline CSS, the JSON state of
# a script framework, an icon sprite, a mega menu and a footer full of links.
_STYLE = (
    "<style>"
    + "".join(
        f".c{k}{{margin:{k % 7}px {k % 5}px;padding:0 {k % 3}em;color:#{k * 7919 % 0xFFFFFF:06x};"
        f"font:{12 + k % 6}px/1.4 Georgia,serif}}@media (min-width:{600 + k}px){{.c{k}{{display:flex}}}}"
        for k in range(300)
    )
    + "</style>"
)
_STATE = (
    "<script>window.__PRELOADED_STATE__ = "
    + json.dumps(
        {
            "stories": [
                {
                    "id": k,
                    "headline": MORE_STORIES[k % 10],
                    "url": f"/news/{k}",
                    "tags": ["a", "b"],
                    "score": k / 7,
                }
                for k in range(250)
            ]
        }
    )
    + ";</script>"
)
_SPRITE = (
    '<svg xmlns="http://www.w3.org/2000/svg" style="display:none">'
    + "".join(
        f'<symbol id="i{k}" viewBox="0 0 24 24"><path d="M{k} 2L{k + 3} 9 22 {k % 20}z"/></symbol>'
        for k in range(40)
    )
    + "</svg>"
)
_MENU = (
    '<div class="site-menu"><nav aria-label="All sections"><ul>'
    + "".join(
        f'<li><a href="/s{k}">Section {k}</a><ul>'
        + "".join(f'<li><a href="/s{k}/{j}">Topic {k}.{j}</a></li>' for j in range(8))
        + "</ul></li>"
        for k in range(20)
    )
    + "</ul></nav></div>"
)
_FOOTER_LINKS = (
    '<div class="footer-links">'
    + "".join(
        f'<ul><li><a href="/f{k}/{j}">Footer link {k}.{j}</a></li></ul>' for k in range(6) for j in range(10)
    )
    + "</div>"
)


def _with_bulk(page: str) -> str:
    """The page with a sprite and mega menu after <body ...> and a footer of links before </body>."""
    start = page.index(">", page.index("<body")) + 1
    end = page.rindex("</body>")
    return page[:start] + _SPRITE + _MENU + page[start:end] + _FOOTER_LINKS + page[end:]


def wordpress(s: Story, i: int) -> str:
    author = "".join(f'<a href="/author/{k}" rel="author">{_e(a)}</a>' for k, a in enumerate(s.authors))
    comments = "".join(
        f'<li class="comment"><div class="comment-author vcard"><b class="fn">{_e(who)}</b></div>'
        f'<div class="comment-content"><p>{_e(text)}</p></div></li>'
        for who, text in COMMENTS
    )
    return (
        _head(
            f"{s.title} – Harbourside Blog",
            f'<meta property="article:published_time" content="{s.published}T09:00:00+00:00">',
        )
        + '<body class="single single-post"><div id="page" class="site"><header id="masthead" class="site-header">'
        '<p class="site-title"><a href="/">Harbourside Blog</a></p><nav class="main-navigation">'
        '<ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav></header>'
        f'<div id="content"><div id="primary" class="content-area"><main id="main" class="site-main">'
        f'<article id="post-{i}" class="post-{i} post type-post status-publish hentry category-advertising">'
        f'<header class="entry-header"><h1 class="entry-title">{_e(s.title)}</h1>'
        f'<div class="entry-meta">Posted on <time class="entry-date published">{_long_date(s.published)}</time>'
        f' by <span class="author vcard">{author}</span></div></header>'
        f'<div class="entry-content">{_paras(s)}</div>'
        '<footer class="entry-footer">Posted in <a href="/c/news">News</a> Tagged <a href="/t/local">local</a></footer>'
        "</article>"
        '<nav class="post-navigation"><a href="/prev">Previous post</a> <a href="/next">Next post</a></nav>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{len(COMMENTS)} thoughts on this</h2>'
        f'<ol class="comment-list">{comments}</ol><div id="respond"><h3>Leave a Reply</h3>'
        "<p>Your email address will not be published. Required fields are marked.</p></div></div>"
        '</main></div><aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2>'
        f"{_list(5, i)}</section></aside></div>"
        '<footer id="colophon" class="site-footer">Proudly powered by WordPress. Theme by Example.</footer>'
        "</div></body></html>"
    )


def latimes(s: Story, i: int) -> str:
    paras = []
    for k, p in enumerate(s.paragraphs):
        if s.subhead and k == len(s.paragraphs) - 2:
            paras.append(f"<h3>{_e(s.subhead)}</h3>")
        paras.append(f"<p>{_e(p)}</p>")
        if k == 1:
            paras.append('<div class="GoogleDfpAd-wrapper ad-inline"><span>Advertisement</span></div>')
    return (
        _head(
            f"{s.title} - Pacific Ledger",
            _jsonld(s, "Pacific Ledger") + '<meta property="og:site_name" content="Pacific Ledger">',
            "en-US",
        )
        + '<body><div class="Page-ad-margins"><div class="Page-header"><a href="/">Pacific Ledger</a> '
        '<a href="/california">California</a> <a href="/politics">Politics</a> <a href="/subscribe">Subscribe</a></div>'
        '<div class="ad-slot ad-leaderboard"><span>Advertisement</span></div><div class="Page-content">'
        f'<h1 class="Page-headline">{_e(s.title)}</h1>'
        + (f'<div class="Page-byline">By {_e(_byline(s))}, Staff Writer</div>' if s.authors else "")
        + f'<div class="RichTextArticleBody">{"".join(paras)}</div>'
        f'<div class="Page-more"><h4>More to Read</h4>{_list(4, i + 3)}</div></div>'
        '<div class="Page-footer"><p>Copyright 2024 Pacific Ledger. Terms of Service. Privacy Policy. '
        "Do Not Sell or Share My Personal Information.</p></div></div></body></html>"
    )


def nypost(s: Story, i: int) -> str:
    return (
        _head(
            f"{s.title} | Metro Post",
            f'<meta property="og:site_name" content="Metro Post"><meta name="parsely-pub-date" content="{s.published}T14:02:11Z">'
            + (f'<meta name="parsely-author" content="{_e(s.authors[0])}">' if s.authors else ""),
        )
        + '<body><div class="site-nav"><a href="/">Metro Post</a> <a href="/news">News</a> <a href="/metro">Metro</a>'
        ' <a href="/sports">Sports</a> <a href="/entertainment">Entertainment</a></div>'
        '<div id="main" class="box article modal-enabled"><div class="article-header">'
        f'<h1 class="headline">{_e(s.title)}</h1>'
        + (f'<p class="byline">By <span class="author">{_e(_byline(s))}</span></p>' if s.authors else "")
        + f'<p class="date">{_long_date(s.published)} | 9:02am</p></div>'
        f'<div class="entry-content">{_paras(s)}</div>'
        '<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>'
        f'<div class="more-on">More on this: {_list(3, i + 1, "more-list")}</div></div>'
        '<div class="modal" id="signup-modal"><h2>Subscribe now</h2><p>Get unlimited access for just one dollar a week. '
        "Cancel anytime.</p></div>"
        '<div class="footer">© 2024 Metro Post Holdings. All Rights Reserved. Sitemap. Careers. Terms of Use.</div>'
        "</body></html>"
    )


def aspnet(s: Story, i: int) -> str:
    d = date.fromisoformat(s.published)
    paras = "".join(f"<p>{_e(p)}</p>" for p in s.paragraphs)
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f'<head><title>{_e(s.title)}</title><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /></head>'
        f'<body><form name="aspnetForm" method="post" action="./NewsDetail.aspx?id={4400 + i}" id="aspnetForm">'
        '<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRkGZk3uFQ9a6m4" /></div>'
        '<table id="ctl00_tblLayout" width="100%"><tr><td id="ctl00_tdHeader" colspan="2"><a href="/Default.aspx">Home</a>'
        ' &gt; <a href="/News.aspx">News</a> &gt; <a href="/News.aspx?cat=2">Press releases</a></td></tr>'
        '<tr><td id="ctl00_tdMenu" valign="top" width="180"><a href="/Services.aspx">Services</a><br />'
        '<a href="/Council.aspx">Council</a><br /><a href="/Jobs.aspx">Jobs</a><br /></td><td id="ctl00_tdMain" valign="top">'
        f'<span id="ctl00_ContentPlaceHolder1_lblTitle" class="NewsTitle">{_e(s.title)}</span><br />'
        f'<span id="ctl00_ContentPlaceHolder1_lblDate" class="NewsDate">{d.month}/{d.day}/{d.year}</span><br /><br />'
        + (f'<span class="NewsAuthor">By {_e(_byline(s))}</span><br />' if s.authors else "")
        + f'<span id="ctl00_ContentPlaceHolder1_lblBody" class="NewsBody">{paras}</span></td></tr>'
        '<tr><td colspan="2" id="ctl00_tdFooter">County Government Center · 100 Main Street · Accessibility · Site map'
        "</td></tr></table></form></body></html>"
    )


def divsoup(s: Story, i: int) -> str:
    meta = f'<meta name="author" content="{_e(s.authors[0])}">' if s.authors else ""
    info = f"By {_e(_byline(s))} | " if s.authors else ""
    return (
        _head(f"{s.title} - Riverside Gazette", meta)
        + '<body><div id="wrapper"><div id="top"><div class="logo"><a href="/">Riverside Gazette</a></div>'
        '<div class="menu"><a href="/">Home</a> | <a href="/local">Local</a> | <a href="/farming">Farming</a> | '
        '<a href="/weather">Weather</a> | <a href="/jobs">Jobs</a></div></div><div id="content"><div class="col-left">'
        f'<div class="headline"><h1>{_e(s.title)}</h1></div>'
        f'<div class="info">{info}Published {_long_date(s.published)}</div>'
        f'<div class="text">{_paras(s)}</div>'
        '<div class="tags">Tags: <a href="/t/a">local</a>, <a href="/t/b">news</a></div></div>'
        f'<div class="col-right"><h3>Most read</h3>{_list(4, i)}<h3>More stories</h3>{_list(3, i + 4)}</div></div>'
        '<div id="bottom"><p>Riverside Gazette, 4 Mill Lane. Copyright 2024. Registered in England.</p>'
        '<p><a href="/advertise">Advertise with us</a> · <a href="/privacy">Privacy policy</a></p></div></div>'
        "</body></html>"
    )


def broadcaster(s: Story, i: int) -> str:
    blocks = "".join(f'<div data-component="text-block"><p>{_e(p)}</p></div>' for p in s.paragraphs)
    byline = (
        f'<div data-component="byline-block"><span>By {_e(_byline(s))}</span><span>Reporter</span></div>'
        if s.authors
        else ""
    )
    return (
        _head(
            f"{s.title} - National News",
            _jsonld(s, "National News") + '<meta property="og:site_name" content="National News">',
            "en-GB",
        )
        + '<body><header><a href="/">National News</a><nav><a href="/news">News</a><a href="/sport">Sport</a>'
        '<a href="/weather">Weather</a></nav></header><div id="main-content"><main><article>'
        f"<header><h1>{_e(s.title)}</h1></header>"
        f'<div data-component="timestamp-block"><time datetime="{s.published}T08:30:00.000Z">{_long_date(s.published)}</time></div>'
        f"{byline}{blocks}"
        f'<div data-component="links-block"><h2>More on this story</h2>{_list(3, i)}</div>'
        f'<div data-component="tag-list"><a href="/t/1">Transport</a> <a href="/t/2">Local politics</a></div>'
        f'</article><section data-component="related"><h2>Related Topics</h2>{_list(4, i + 2)}</section></main></div>'
        "<footer><p>Copyright 2024 National News. We are not responsible for the content of external sites.</p></footer>"
        "</body></html>"
    )


def penci(s: Story, i: int) -> str:
    author = f'by <a class="author-url url fn n" href="/author/x/">{_e(_byline(s))}</a>' if s.authors else ""
    return (
        _head(
            f"{s.title} – Marketing Daily",
            '<meta property="og:site_name" content="Marketing Daily">'
            f'<meta property="article:published_time" content="{s.published}T10:15:00+00:00">',
            "en-US",
        )
        + '<body><div class="wrapper-boxed"><div class="penci-header-wrap"><a href="/">Marketing Daily</a>'
        '<ul class="menu"><li><a href="/news">News</a></li><li><a href="/campaigns">Campaigns</a></li></ul></div>'
        '<div class="container container-single penci_sidebar right-sidebar"><div id="main" class="penci-main-sticky-sidebar">'
        f'<article id="post-{i}" class="post-{i} post type-post hentry category-advertising category-awards">'
        f'<h1 class="post-title single-post-title entry-title">{_e(s.title)}</h1>'
        f'<div class="post-box-meta-single"><span class="author-italic author vcard">{author}</span>'
        f'<span><time class="entry-date published">{_long_date(s.published)}</time></span></div>'
        f'<div class="post-entry"><div class="inner-post-entry entry-content">{_paras(s)}</div></div></article>'
        f'<div class="penci-related"><h3>You may be interested</h3>{_list(4, i)}</div></div>'
        '<div id="sidebar" class="penci-sidebar-content"><aside class="widget"><h4>Popular posts</h4>'
        f'{_list(3, i + 5)}</aside><aside class="widget"><h4>Follow us</h4><p>Facebook Twitter Instagram</p></aside></div></div>'
        '<div class="footer-copyright">Copyright 2022 Marketing Daily. Designed by PenciDesign.</div></div></body></html>'
    )


def guardian(s: Story, i: int) -> str:
    paras = []
    for k, p in enumerate(s.paragraphs):
        paras.append(f"<p>{_e(p)}</p>")
        if k == 1:
            paras.append(
                '<aside class="newsletter-signup"><p>Sign up to First Edition, our free daily newsletter, '
                "every weekday morning at 7am.</p><button>Sign up</button></aside>"
            )
    authors = ", ".join(f'<a rel="author" href="/profile/{k}">{_e(a)}</a>' for k, a in enumerate(s.authors))
    meta = "".join(
        f'<meta property="article:author" content="https://www.example.org/profile/{k}">'
        for k in range(len(s.authors))
    )
    return (
        _head(
            f"{s.title} | World news | The Chronicle",
            meta
            + f'<meta property="article:published_time" content="{s.published}T06:00:00.000Z">'
            + '<meta property="og:site_name" content="the Chronicle">',
            "en-GB",
        )
        + '<body><a href="#maincontent">Skip to main content</a><header><nav><a href="/world">World</a>'
        '<a href="/uk">UK</a><a href="/climate">Climate crisis</a></nav></header><main id="maincontent">'
        f'<div class="article-headline"><h1>{_e(s.title)}</h1></div>'
        f'<div class="article-meta"><address>{authors}</address>'
        f"<details><summary>{_long_date(s.published)}</summary></details></div>"
        f'<div class="article-body-commercial-selector article-body-viewer-selector">{"".join(paras)}</div>'
        '<div class="submeta"><a href="/t/1">Explore more on these topics</a> <a href="/share">Share</a> '
        '<a href="/reuse">Reuse this content</a></div>'
        f'<section id="comments"><h2>Comments (214)</h2><div class="d-comment__body"><p>{_e(COMMENTS[2][1])}</p></div></section>'
        f'<section class="onwards"><h2>Most viewed</h2>{_list(5, i)}</section></main>'
        "<footer><p>© 2024 Chronicle News &amp; Media Limited or its affiliated companies. All rights reserved.</p>"
        "</footer></body></html>"
    )


def cookie_paywall(s: Story, i: int) -> str:
    names = "".join(f'<span class="author-name" itemprop="author">{_e(a)}</span>' for a in s.authors)
    return (
        _head(
            f"{s.title} | The Evening Standard-Times",
            f'<meta itemprop="datePublished" content="{s.published}">',
        )
        + '<body><div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" role="dialog"><p>We and our partners '
        "store and access information on your device, such as cookies, for personalised ads and content.</p>"
        '<button id="onetrust-accept-btn-handler">I Accept</button><button>Manage preferences</button></div></div>'
        '<div class="masthead"><a href="/">The Evening Standard-Times</a></div>'
        '<div class="container"><section class="article-body" itemscope itemtype="https://schema.org/NewsArticle">'
        f'<h1 itemprop="headline">{_e(s.title)}</h1><div class="meta">{names}</div>'
        f'<div class="article-text">{_paras(s)}</div></section>'
        '<div class="paywall-teaser"><h3>You have read 3 of 5 free articles this month</h3><p>Subscribe for full '
        "access to local news you can trust.</p></div>"
        f'<div class="recommended"><h3>Recommended for you</h3>{_list(5, i)}</div></div>'
        '<div class="site-footer"><p>Contact us | Advertise | Careers | Terms | Privacy | Cookie settings</p></div>'
        "</body></html>"
    )


def press_release(s: Story, i: int) -> str:
    body = "<br><br>\n".join(_e(p) for p in s.paragraphs)
    return (
        _head(f"{s.title} | Press office", f'<meta name="dc.date" content="{s.published}">')
        + '<body><div class="top-links"><a href="/">Home</a> <a href="/press">Press</a> <a href="/contact">Contact</a></div>'
        f'<div class="content"><h1>{_e(s.title)}</h1><p class="release-date">Press release</p>'
        f"<p>{body}</p><p>Media contact: press@example.org, +1 555 0100</p></div>"
        '<div class="footer">© Example Ferries. All rights reserved. Registered office: Pier 1.</div></body></html>'
    )


def yoast_blog(s: Story, i: int) -> str:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Town Notes", "url": "https://townnotes.example/"},
            {
                "@type": "Article",
                "headline": s.title,
                "datePublished": f"{s.published}T07:00:00+00:00",
                "author": {"name": s.authors[0]} if s.authors else None,
            },
            *({"@type": "Person", "name": a} for a in s.authors),
        ],
    }
    comments = "".join(
        f'<div class="comment"><div class="comment-meta">{_e(who)} says:</div><div class="comment-body"><p>{_e(t)}</p></div></div>'
        for who, t in COMMENTS
    )
    return (
        _head(
            f"{s.title} - Town Notes",
            f'<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph)}</script>',
        )
        + f'<body><nav class="main-nav"><a href="/">Town Notes</a> <a href="/news">News</a> <a href="/events">Events</a></nav>'
        f'<div class="post"><h1>{_e(s.title)}</h1><div class="post-body">{_paras(s)}</div></div>'
        f'<div class="comments-wrapper"><h2>{len(COMMENTS)} Comments</h2>{comments}</div>'
        '<div id="disqus_thread"></div><footer class="site-footer"><p>Town Notes is an independent community '
        "newsletter. Copyright 2024.</p></footer></body></html>"
    )


def wire(s: Story, i: int) -> str:
    paras = []
    for k, p in enumerate(s.paragraphs):
        paras.append(f"<p>{_e(p)}</p>")
        if k == 0:
            paras.append(
                f'<div class="Enhancement"><div class="Link"><h3>RELATED COVERAGE</h3>{_list(2, i + k)}</div></div>'
            )
    byline = (
        f'<div class="Page-authors">By <a class="Link">{_e(" and ".join(a.upper() for a in s.authors))}</a></div>'
        if s.authors
        else ""
    )
    return (
        _head(
            s.title,
            f'<meta property="article:published_time" content="{s.published}T11:20:00Z">'
            + (f'<meta name="author" content="{_e(", ".join(s.authors))}">' if s.authors else "")
            + '<meta property="og:site_name" content="Wire Service News">',
        )
        + '<body><div class="Page-header-navigation"><a href="/">Wire Service News</a> <a href="/world">World</a>'
        ' <a href="/us">U.S.</a> <a href="/politics">Politics</a></div>'
        f'<main class="Page-main"><div class="Page-headline"><h1>{_e(s.title)}</h1></div>{byline}'
        f'<bsp-timestamp data-timestamp="1700000000000"><span>Updated 11:20 AM GMT</span></bsp-timestamp>'
        f'<div class="RichTextStoryBody RichTextBody">{"".join(paras)}</div>'
        f'<div class="PageList-items"><h2>Top stories</h2>{_list(5, i)}</div></main>'
        '<footer class="Page-footer"><p>Copyright 2024 Wire Service News. All Rights Reserved.</p></footer></body></html>'
    )


SHAPES: dict[str, Callable[[Story, int], str]] = {
    "wordpress": wordpress,
    "latimes": latimes,
    "nypost": nypost,
    "aspnet": aspnet,
    "divsoup": divsoup,
    "broadcaster": broadcaster,
    "penci": penci,
    "guardian": guardian,
    "cookie_paywall": cookie_paywall,
    "press_release": press_release,
    "yoast_blog": yoast_blog,
    "wire": wire,
}


def gold_text(story: Story) -> str:
    parts = []
    for i, p in enumerate(story.paragraphs):
        if story.subhead and i == len(story.paragraphs) - 2:
            parts.append(story.subhead)
        parts.append(p)
    return "\n".join(parts)


def build_pages(per_shape: int = 4) -> list[Page]:
    """`per_shape` stories in each shape, rotating through the stories: 48 pages by default."""
    pages = []
    for n, (shape, build) in enumerate(SHAPES.items()):
        for k in range(per_shape):
            index = (n * 5 + k * 3) % len(STORIES)
            story = STORIES[index]
            if shape == "press_release":  # press releases carry no byline
                story = Story(story.title, (), story.published, story.paragraphs, story.subhead)
            pages.append(
                Page(
                    f"{shape}-{k}", build(story, n * 10 + k), gold_text(story), story.published, story.authors
                )
            )
    return pages
