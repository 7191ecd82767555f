"""Parsing fetched bytes: feeds in three scripts, hostile XML, pages without a feed."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from media_monitoring import parsing
from media_monitoring.parsing import (
    Entry,
    ParseError,
    canonical_url,
    decode_document,
    language_code,
    parse_feed,
    parse_page,
    plain_text,
)
from tests.media_monitoring.feedserver import (
    ARTICLE_PAGE,
    ATOM_EN,
    ATOM_KA,
    BILLION_LAUGHS,
    GARBAGE,
    LISTING_PAGE,
    MALFORMED,
    MISENCODED,
    NETSCAPE_DOCTYPE,
    NO_DATES_OR_LINKS,
    RSS_HY,
    RSS_KA,
    TRUNCATED_EARLY,
    TRUNCATED_LATE,
    UNDECODABLE,
    XXE,
    XXE_PARAMETER,
    FeedItem,
    atom,
    rss,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _error(body, **kwargs) -> str:
    with pytest.raises(ParseError) as caught:
        parse_feed(body, **kwargs)
    return caught.value.message


# --- Good feeds -----------------------------------------------------------------------


def test_rss_in_georgian():
    entries = parse_feed(RSS_KA, base_url="https://news.example.ge/rss")
    assert [entry.external_id for entry in entries] == [
        "news.example.ge-1001",
        "news.example.ge-1002",
        "news.example.ge-1003",
    ]
    first = entries[0]
    assert first == Entry(
        external_id="news.example.ge-1001",
        url="https://news.example.ge/ka/article/1001",
        title="სახალხო დამცველმა პენსიების ინდექსაციის შესახებ განცხადება გაავრცელა",
        summary="სახალხო დამცველის თქმით, პენსიის ზრდა ინფლაციას ვერ ეწევა.",
        author="ნინო ბერიძე",
        published_at=datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
        language="ka",
    )
    # Markup, scripts and entities are gone from the plain text.
    assert entries[1].summary.endswith("გაიხსნა & მშობლები კმაყოფილები არიან.")
    assert entries[2].summary == "ავტობუსები განახლდება."


def test_rss_in_armenian_takes_the_language_from_the_feed():
    entries = parse_feed(RSS_HY)
    assert len(entries) == 2
    assert entries[0].title.startswith("Մարդու իրավունքների պաշտպանը")
    assert entries[0].summary == "Պաշտպանի խոսքով՝ կենսաթոշակների աճը բավարար չէ։"
    assert entries[0].author == "Անի Պետրոսյան"
    assert {entry.language for entry in entries} == {"hy"}  # "hy-AM"


def test_atom_in_english_uses_the_link_when_there_is_no_id():
    entries = parse_feed(ATOM_EN)
    assert entries[0].external_id == (
        "https://civil.example.org/en/2026/03/public-defender-pensions"
    )
    assert entries[1].external_id == "urn:uuid:0c1d7f1e-2027-4d2b-9a1b-budget"
    assert entries[1].url == "https://civil.example.org/en/2026/03/budget-2027"
    assert entries[0].language == "en"
    assert entries[0].published_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_atom_ids_do_not_depend_on_the_feed_address():
    ids = [entry.external_id for entry in parse_feed(ATOM_KA)]
    moved = parse_feed(ATOM_KA, base_url="https://mirror.example.org/atom")
    assert [entry.external_id for entry in moved] == ids
    assert ids[0] == "news.example.ge-1001"
    assert moved[0].language == "ka"  # xml:lang="ka-GE"


def test_relative_links_are_resolved_against_the_feed_address():
    body = rss([FeedItem("A relative link here", link="/ka/news/7", guid="")])
    (entry,) = parse_feed(body, base_url="https://news.example.ge/rss.xml")
    assert entry.url == "https://news.example.ge/ka/news/7"
    assert entry.external_id == "https://news.example.ge/ka/news/7"


def test_entries_without_dates_or_links():
    entries = parse_feed(NO_DATES_OR_LINKS)
    assert [(e.external_id, e.url, e.published_at) for e in entries] == [
        ("guid-only-1", "", None),
        ("https://x.example.org/a/1", "https://x.example.org/a/1", None),
    ]  # the entry with neither a GUID nor a link is skipped


def test_entry_without_title_takes_the_start_of_its_text():
    body = rss(
        [
            FeedItem(
                "",
                "<p>Only a description, no title at all.</p>",
                "https://t.example.org/1",
            )
        ]
    )
    (entry,) = parse_feed(body)
    assert entry.title == "Only a description, no title at all."


def test_duplicate_entries_in_one_feed_are_kept_once():
    item = FeedItem("The same story twice over", "", "https://d.example.org/1", "g1")
    assert len(parse_feed(rss([item, item]))) == 1


def test_empty_but_valid_feed_gives_no_entries():
    assert parse_feed(rss([], title="Quiet day")) == []


def test_netscape_doctype_without_entities_is_accepted():
    assert len(parse_feed(NETSCAPE_DOCTYPE)) == 2


def test_long_fields_are_capped():
    body = rss(
        [
            FeedItem(
                "word " * 300,
                "text " * 2000,
                "https://l.example.org/" + "a" * 1200,
                "g" * 1500,
                "author " * 100,
            )
        ]
    )
    (entry,) = parse_feed(body)
    assert len(entry.title) <= 500
    assert entry.title.endswith("…")
    assert len(entry.summary) <= parsing.SUMMARY_MAX
    assert len(entry.author) <= 200
    assert entry.url == ""  # too long to be stored as an address
    assert entry.external_id.startswith("sha1:")


def test_dates_far_in_the_future_are_unknown():
    body = rss(
        [
            FeedItem(
                "Sent from the future",
                "",
                "https://f.example.org/1",
                published=datetime(2100, 1, 1, tzinfo=UTC),
            )
        ]
    )
    assert parse_feed(body)[0].published_at is None


# --- Bad feeds ------------------------------------------------------------------------


def test_malformed_feed_keeps_the_readable_entries():
    entries = parse_feed(MALFORMED)
    assert [entry.url for entry in entries] == [
        "https://m.example.org/1",
        "https://m.example.org/2",
        "https://m.example.org/3",
    ]
    assert entries[1].title == "Unclosed bold & stray ampersand"


def test_truncated_feed_keeps_the_complete_entries():
    entries = parse_feed(TRUNCATED_LATE)
    assert [entry.external_id for entry in entries] == [
        "news.example.ge-1001",
        "news.example.ge-1002",
    ]
    # Cut inside a multi-byte letter: still read as UTF-8, not as mojibake.
    assert entries[0].title.startswith("სახალხო დამცველმა")


def test_truncated_feed_without_a_complete_entry_is_an_error():
    assert "broken and holds no readable entry" in _error(TRUNCATED_EARLY)


def test_garbage_is_an_error():
    assert "broken and holds no readable entry" in _error(GARBAGE)


def test_empty_body_is_an_error():
    assert "empty document" in _error(b"")


def test_not_a_feed_is_an_error():
    assert "not an RSS or Atom feed" in _error(b"<?xml version='1.0'?><note>hi</note>")


def test_web_page_given_as_a_feed_says_so():
    message = _error(LISTING_PAGE, content_type="text/html")
    assert "web page, not a feed" in message


def test_misencoded_feed_is_decoded_by_detection():
    entries = parse_feed(MISENCODED, charset="utf-8")
    assert entries[0].title == "Народный защитник раскритиковал индексацию пенсий"
    assert entries[1].summary.startswith("Новые детские сады")
    assert entries[0].language == "ru"


def test_declared_legacy_encoding_is_used_when_it_is_right():
    body = rss(
        [FeedItem("Мэрия открыла детские сады", "", "https://r.example.org/1")],
        encoding="windows-1251",
    )
    assert parse_feed(body)[0].title == "Мэрия открыла детские сады"


def test_valid_utf8_wins_over_a_wrong_declaration():
    body = rss(
        [FeedItem("საბავშვო ბაღები გაიხსნა", "", "https://k.example.ge/1")],
        declare="iso-8859-1",
    )
    assert parse_feed(body, charset="iso-8859-1")[0].title == "საბავშვო ბაღები გაიხსნა"


def test_undecodable_feed_is_an_error_not_garbage():
    assert "text encoding is wrong or unknown" in _error(UNDECODABLE)


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE, XXE_PARAMETER])
def test_entity_declarations_are_refused(body):
    assert "declares XML entities" in _error(body)


def test_external_entity_is_never_read(monkeypatch):
    opened = []
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a))
    with pytest.raises(ParseError):
        parse_feed(XXE)
    assert opened == []


def test_entity_declaration_behind_a_syntax_error_is_refused():
    body = b'<?xml version="1.0"?>\n<!DOCTYPE rss [ <!ENTITY x "y"> <<< ]>\n<rss/>'
    assert "declares XML entities" in _error(body)


def test_characters_xml_forbids_are_dropped():
    body = rss(
        [FeedItem("Bad\x0bchar\x01acters in a title", "", "https://c.example.org/1")]
    )
    assert parse_feed(body)[0].title == "Badcharacters in a title"


def test_feedparser_is_never_given_an_address(monkeypatch):
    seen = []
    real = parsing.feedparser.parse

    def spy(data, **kwargs):
        seen.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(parsing.feedparser, "parse", spy)
    with pytest.raises(ParseError, match="holds no readable entry"):
        parse_feed(b"/etc/passwd")  # bytes to parse, not a path to open
    assert seen and all(isinstance(data, bytes) for data in seen)


# --- Pages without a feed -------------------------------------------------------------


def test_listing_page_gives_article_links_on_the_same_site():
    entries = parse_page(LISTING_PAGE, base_url="https://gov.example.ge/ka/news")
    assert [(e.url, e.title) for e in entries] == [
        (
            "https://gov.example.ge/ka/news/2026/03/public-defender-pensions",
            "სახალხო დამცველი პენსიების ინდექსაციას აკრიტიკებს",
        ),
        (
            "https://gov.example.ge/ka/news/2026/03/kindergartens",
            "თბილისის მერიამ ექვს რაიონში ახალი საბავშვო ბაღები გახსნა",
        ),
        (
            # www. is the same site; the tracking parameter is dropped.
            "https://www.gov.example.ge/ka/news/2026/03/transport",
            "საზოგადოებრივი ტრანსპორტის განახლებაზე 40 მილიონი ლარი დაიხარჯება",
        ),
    ]
    assert all(e.external_id == e.url and e.language == "ka" for e in entries)


def test_article_page_gives_itself():
    (entry,) = parse_page(ARTICLE_PAGE, base_url="https://gov.example.ge/en/x?id=1")
    assert entry.url == "https://www.gov.example.ge/en/news/defender-pensions"
    assert entry.title == "Public Defender criticises pension indexation"
    assert entry.summary.startswith("The Public Defender said on Monday")
    assert entry.author == "Sarah Smith"
    assert entry.published_at.date().isoformat() == "2026-03-02"
    assert entry.language == "en"


def test_page_that_is_a_feed_is_read_as_a_feed():
    entries = parse_page(RSS_KA, base_url="https://news.example.ge/")
    assert len(entries) == 3


def test_page_without_articles_is_an_error():
    page = b"<html><body><p>Nothing here.</p><a href='/a'>Home</a></body></html>"
    with pytest.raises(ParseError, match="No articles were found"):
        parse_page(page, base_url="https://e.example.org/")


def test_page_in_a_legacy_encoding_declared_by_meta():
    page = (
        '<html><head><meta charset="windows-1251"></head><body>'
        '<a href="/n/1">Мэрия Тбилиси открыла новые детские сады</a>'
        '<a href="/n/2">Народный защитник раскритиковал индексацию</a>'
        "</body></html>"
    ).encode("windows-1251")
    entries = parse_page(page, base_url="https://r.example.ge/")
    assert entries[0].title == "Мэрия Тбилиси открыла новые детские сады"


# --- Helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("<p>one</p><p>two</p>", "one two"),
        ("a &amp;amp; b", "a & b"),
        ("<script>alert(1)</script>visible", "visible"),
        ("x < y and y > z", "x < y and y > z"),
        ("  many \n\t spaces  ", "many spaces"),
        ("zero\u200bwidth", "zero width"),
        (None, ""),
    ],
)
def test_plain_text(value, text):
    assert plain_text(value) == text


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.GE/a?b=1#top", "https://news.example.ge/a?b=1"),
        ("http://x.example.org:80/a", "http://x.example.org/a"),
        (
            "https://x.example.org/a?utm_source=fb&id=3&fbclid=z",
            "https://x.example.org/a?id=3",
        ),
        ("javascript:alert(1)", ""),
        ("mailto:a@b.c", ""),
        ("", ""),
        ("http://[::1", ""),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("value", "code"),
    [("ka-GE", "ka"), ("hy_AM", "hy"), ("EN", "en"), ("de", ""), (None, "")],
)
def test_language_code(value, code):
    assert language_code(value) == code


def test_decode_document_reads_a_bom():
    assert decode_document("<rss/>".encode("utf-16")) == "<rss/>"


# --- The fast path (lxml) reads feeds as feedparser does -----------------------------

BASE = "https://feeds.example.ge/rss.xml"

RSS_VARIANTS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Variants</title>
<language>hy-AM</language>
<item><title>Only content:encoded, a permalink GUID</title>
<guid>https://v.example.am/1</guid>
<content:encoded><![CDATA[<p>Full <b>text</b> here</p><p>and more</p>]]>
</content:encoded>
<pubDate>Mon, 02 Mar 2026 13:30:00 +0400</pubDate></item>
<item><title>Tom &amp;amp; Jerry &lt;b&gt;escaped&lt;/b&gt;</title>
<link>  /relative/2  </link><author>editor@v.example.am (Արամ Գրիգորյան)</author>
<description>A &lt;a href="x"&gt;link&lt;/a&gt; in text</description>
<dc:date>2026-03-01T10:00:00Z</dc:date></item>
<item><title>GUID that is not a link</title><guid isPermaLink="false">v-3</guid>
<description></description><pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>No date at all</title><link>https://v.example.am/4</link></item>
</channel></rss>""".encode()

ATOM_VARIANTS = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ka"><title>Variants</title>
<id>urn:v</id><updated>2026-03-02T09:00:00Z</updated>
<entry><title type="html">&lt;em&gt;HTML&lt;/em&gt; title</title>
<link rel="self" href="https://v.example.ge/self/1"/>
<link href="https://v.example.ge/1"/><id>tag:v.example.ge,2026:1</id>
<content type="html">&lt;p&gt;Only content&lt;/p&gt;</content>
<updated>2026-03-02T08:00:00.123+04:00</updated></entry>
<entry><title>Date only</title><id>tag:v.example.ge,2026:2</id>
<link rel="alternate" type="text/html" href="/ka/2"/>
<published>2026-03-01</published><author><name>ნინო</name></author></entry>
</feed>""".encode()


def _both(body):
    data = parsing._xml_bytes(decode_document(body))
    return (
        parsing._fast_entries(data, base_url=BASE),
        parsing._feedparser_entries(data, base_url=BASE),
    )


@pytest.mark.parametrize(
    "body",
    [
        RSS_KA,
        RSS_HY,
        ATOM_EN,
        ATOM_KA,
        NO_DATES_OR_LINKS,
        NETSCAPE_DOCTYPE,
        MISENCODED,
        RSS_VARIANTS,
        ATOM_VARIANTS,
    ],
    ids=[
        "rss-ka",
        "rss-hy",
        "atom-en",
        "atom-ka",
        "sparse",
        "doctype",
        "misencoded",
        "rss-variants",
        "atom-variants",
    ],
)
def test_fast_path_reads_feeds_as_feedparser_does(body):
    fast, slow = _both(body)
    assert fast is not None
    assert fast == slow
    assert fast  # not trivially equal


def test_fast_path_variants_in_detail():
    fast, _slow = _both(RSS_VARIANTS)
    assert [(e.external_id, e.url) for e in fast] == [
        ("https://v.example.am/1", "https://v.example.am/1"),
        ("https://feeds.example.ge/relative/2", "https://feeds.example.ge/relative/2"),
        ("v-3", ""),
        ("https://v.example.am/4", "https://v.example.am/4"),
    ]
    assert fast[0].summary == "Full text here and more"
    assert fast[0].published_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert fast[1].title == "Tom & Jerry escaped"
    assert fast[1].author == "Արամ Գրիգորյան"
    assert fast[1].published_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert {e.language for e in fast} == {"hy"}
    atom_entries, _slow = _both(ATOM_VARIANTS)
    assert atom_entries[0].url == "https://v.example.ge/1"  # not rel="self"
    assert atom_entries[0].summary == "Only content"
    assert atom_entries[1].published_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert atom_entries[1].language == "ka"


@pytest.mark.parametrize(
    "body",
    [
        # markup as elements inside a text element
        b'<rss version="2.0"><channel><item><title>t</title><link>https://a/1</link>'
        b"<description><p>para</p></description></item></channel></rss>",
        # xml:base
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/x/">'
        b'<entry><title>t</title><link href="1"/><id>i</id></entry></feed>',
        # a date only feedparser can read
        b'<rss version="2.0"><channel><item><title>t</title><link>https://a/1</link>'
        b"<pubDate>2 March 2026</pubDate></item></channel></rss>",
        # RSS 1.0 (RDF)
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><item rdf:about="https://a/1">'
        b"<title>t</title><link>https://a/1</link></item></rdf:RDF>",
        MALFORMED,
    ],
    ids=["markup", "xml-base", "odd-date", "rdf", "malformed"],
)
def test_unusual_feeds_go_to_feedparser(body):
    data = parsing._xml_bytes(decode_document(body))
    assert parsing._fast_entries(data, base_url=BASE) is None
    assert parse_feed(body, base_url=BASE)  # and feedparser reads them


def test_fast_path_agrees_on_random_feeds():
    import random

    rng = random.Random(6)
    alphabet = [*"აბგდევზთ Աբգդեզ abc <>&\"' <b>x</b> &amp; \n\t", "მერია", "բյուջե"]

    def text(count):
        return "".join(rng.choice(alphabet) for _ in range(count)).strip() or "t"

    for round_number in range(20):
        items = [
            FeedItem(
                text(rng.randint(5, 60)),
                text(rng.randint(0, 200)),
                rng.choice(["", f"https://r.example.ge/{round_number}/{n}", f"/p/{n}"]),
                rng.choice(["", f"guid-{round_number}-{n}"]),
                text(rng.randint(0, 20)),
                rng.choice([None, datetime(2026, 1, 1 + n % 28, 12, tzinfo=UTC)]),
            )
            for n in range(10)
        ]
        for body in (rss(items, language="ka"), atom(items, language="hy")):
            fast, slow = _both(body)
            assert fast is not None
            assert fast == slow
