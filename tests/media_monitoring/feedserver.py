"""A real HTTP server on 127.0.0.1 serving feeds, friendly and hostile.

Used by the unit tests (the ``feed_server`` fixture), the browser test and the
pull benchmark:

    with FeedServer() as server:
        url = server.add("/ka.xml", body=rss(KA_ITEMS, language="ka"))
        ...

Each path answers what its ``Route`` says: status, headers, body (optionally
gzipped on the way out, or already encoded for "bombs"), a delay before the
headers or between body chunks, and 304 when the request's If-None-Match or
If-Modified-Since matches the route's validators. Requests are recorded
(path and headers) so tests can check what the client sent.

The ready-made bodies below cover the bad input the puller must survive:
malformed, truncated and mis-encoded feeds, XML bombs and external entities,
huge bodies and compression bombs, redirect loops, slow servers and HTTP errors.
"""

import gzip
import ssl
import threading
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

try:
    import pytest
except ImportError:  # pragma: no cover - the benchmark may run without pytest
    pytest = None


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between body chunks of ``chunk`` bytes
    chunk: int = 1024
    gzip: bool = False  # compress on the way out (Content-Encoding: gzip)
    encoding: str = ""  # the body is already encoded so (a "bomb")
    etag: str = ""
    last_modified: str = ""
    location: str = ""  # for 3xx answers
    length: bool = True  # send Content-Length (else the body ends at close)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver/1.0"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        server: FeedServer = self.server.feed_server
        path = self.path.split("?")[0]
        server.record(self.path, dict(self.headers.items()))
        route = server.routes.get(self.path) or server.routes.get(path)
        if route is None:
            route = Route(status=404, body=b"not here", content_type="text/plain")
        if route.delay and server.stopping.wait(route.delay):
            return
        if self._not_modified(route):
            self.send_response(304)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            return
        body = route.body
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.gzip:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        elif route.encoding:
            self.send_header("Content-Encoding", route.encoding)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        if route.location:
            self.send_header("Location", route.location)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.length:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            if route.drip:
                for start in range(0, len(body), route.chunk):
                    self.wfile.write(body[start : start + route.chunk])
                    self.wfile.flush()
                    if server.stopping.wait(route.drip):
                        return
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a cap or a timeout): that is the point

    def _not_modified(self, route: Route) -> bool:
        if route.status != 200:
            return False
        match = self.headers.get("If-None-Match")
        if route.etag and match:
            tags = [tag.strip() for tag in match.split(",")]
            return route.etag in tags or "*" in tags
        since = self.headers.get("If-Modified-Since")
        return bool(route.last_modified and since == route.last_modified)


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) with a registry of routes."""

    def __init__(self, host: str = "127.0.0.1", *, tls: tuple[str, str] | None = None):
        self.host = host
        self.tls = tls  # (certificate file, key file): serve https
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None

    # Life cycle
    def start(self) -> "FeedServer":
        self._httpd = ThreadingHTTPServer((self.host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.request_queue_size = 256
        self._httpd.feed_server = self
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._httpd.socket = context.wrap_socket(
                self._httpd.socket, server_side=True
            )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="feedserver",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "FeedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # Routes
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, **route) -> str:
        """Serve ``Route(**route)`` at ``path``; returns its full address."""
        self.routes[path] = Route(**route)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.add(path, status=status, location=to, body=b"", content_type="")

    def record(self, path: str, headers: dict) -> None:
        with self._lock:
            self.requests.append((path, headers))

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen, _headers in self.requests if seen == path)

    def last_headers(self, path: str) -> dict:
        with self._lock:
            for seen, headers in reversed(self.requests):
                if seen == path:
                    return headers
        return {}


if pytest is not None:

    @pytest.fixture
    def feed_server():
        """A running FeedServer, stopped after the test."""
        with FeedServer() as server:
            yield server


# --- Feeds ----------------------------------------------------------------------------

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@dataclass
class FeedItem:
    title: str
    summary: str = ""
    link: str | None = ""
    guid: str | None = ""
    author: str = ""
    published: datetime | None = NOW


def _date(value: datetime) -> str:
    return format_datetime(value)


KA_ITEMS = [
    FeedItem(
        "სახალხო დამცველმა პენსიების ინდექსაციის შესახებ განცხადება გაავრცელა",
        "<p>სახალხო დამცველის თქმით, <strong>პენსიის</strong> ზრდა "
        "ინფლაციას ვერ ეწევა.</p>",
        "https://news.example.ge/ka/article/1001",
        "news.example.ge-1001",
        "ნინო ბერიძე",
        NOW - timedelta(hours=1),
    ),
    FeedItem(
        "თბილისის მერიამ ახალი საბავშვო ბაღები გახსნა",
        "ექვს რაიონში ახალი საბავშვო ბაღები გაიხსნა &amp; მშობლები კმაყოფილები არიან.",
        "https://news.example.ge/ka/article/1002",
        "news.example.ge-1002",
        "გიორგი მაისურაძე",
        NOW - timedelta(hours=2),
    ),
    FeedItem(
        "საზოგადოებრივი ტრანსპორტის განახლებაზე 40 მილიონი ლარი დაიხარჯება",
        "<div>ავტობუსები <script>alert(1)</script>განახლდება.</div>",
        "https://news.example.ge/ka/article/1003",
        "news.example.ge-1003",
        "",
        NOW - timedelta(hours=3),
    ),
]

HY_ITEMS = [
    FeedItem(
        "Մարդու իրավունքների պաշտպանը անդրադարձել է կենսաթոշակների բարձրացմանը",
        "Պաշտպանի խոսքով՝ <em>կենսաթոշակների</em> աճը բավարար չէ։",
        "https://lur.example.am/hy/news/2001",
        "lur.example.am-2001",
        "Անի Պետրոսյան",
        NOW - timedelta(hours=1),
    ),
    FeedItem(
        "Երևանի ավագանին հաստատեց 2027 թվականի բյուջեն",
        "Կրթության և սոցիալական ծրագրերի ֆինանսավորումն աճում է 12 տոկոսով։",
        "https://lur.example.am/hy/news/2002",
        "lur.example.am-2002",
        "Արամ Գրիգորյան",
        NOW - timedelta(hours=5),
    ),
]

EN_ITEMS = [
    FeedItem(
        "Public Defender criticises pension indexation",
        "The Public Defender said the rise in pensions does not keep up with "
        "inflation.",
        "https://civil.example.org/en/2026/03/public-defender-pensions",
        "",
        "Sarah Smith",
        NOW - timedelta(minutes=30),
    ),
    FeedItem(
        "City council approves the 2027 budget",
        "Spending on education rises by 12 per cent.",
        "https://civil.example.org/en/2026/03/budget-2027",
        "urn:uuid:0c1d7f1e-2027-4d2b-9a1b-budget",
        "John Novak",
        NOW - timedelta(hours=4),
    ),
]


def rss(
    items: list[FeedItem],
    *,
    title: str = "News",
    language: str = "",
    encoding: str = "utf-8",
    declare: str | None = None,
    doctype: str = "",
) -> bytes:
    """An RSS 2.0 document, encoded in ``encoding`` (declared as ``declare``)."""
    parts = [
        f'<?xml version="1.0" encoding="{declare or encoding}"?>\n',
        doctype,
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        f"<title>{escape(title)}</title><link>https://news.example.ge/</link>",
        "<description>feed</description>",
    ]
    if language:
        parts.append(f"<language>{language}</language>")
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        if item.author:
            parts.append(f"<dc:creator>{escape(item.author)}</dc:creator>")
        if item.published:
            parts.append(f"<pubDate>{_date(item.published)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode(encoding)


def atom(items: list[FeedItem], *, title: str = "News", language: str = "") -> bytes:
    """An Atom 1.0 document in UTF-8."""
    lang = f' xml:lang="{language}"' if language else ""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="http://www.w3.org/2005/Atom"{lang}>',
        f"<title>{escape(title)}</title><id>urn:feed:{escape(title)}</id>",
        f"<updated>{NOW.isoformat()}</updated>",
    ]
    for item in items:
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f'<link rel="alternate" href="{escape(item.link)}"/>')
        if item.guid:
            parts.append(f"<id>{escape(item.guid)}</id>")
        if item.summary:
            parts.append(f'<summary type="html">{escape(item.summary)}</summary>')
        if item.author:
            parts.append(f"<author><name>{escape(item.author)}</name></author>")
        if item.published:
            parts.append(f"<published>{item.published.isoformat()}</published>")
            parts.append(f"<updated>{item.published.isoformat()}</updated>")
        parts.append("</entry>")
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


RSS_KA = rss(KA_ITEMS, title="ახალი ამბები", language="ka")
RSS_HY = rss(HY_ITEMS, title="Լուրեր", language="hy-AM")
ATOM_EN = atom(EN_ITEMS, title="Civil news", language="en")
ATOM_KA = atom(KA_ITEMS, title="ახალი ამბები", language="ka-GE")

# Entries without dates or links: one with a GUID only, one with a link only
# and no date, one with neither (it cannot be stored once, so it is skipped).
NO_DATES_OR_LINKS = rss(
    [
        FeedItem("Only a GUID, no link", "text", None, "guid-only-1", published=None),
        FeedItem("A link and no date", "", "https://x.example.org/a/1", None, "", None),
        FeedItem("Neither a link nor a GUID", "lost", None, None, published=NOW),
    ],
    title="Sparse",
)

# Broken markup in the middle: the good entries around it are kept.
MALFORMED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    b"<title>Broken</title>"
    b"<item><title>First good entry</title><link>https://m.example.org/1</link>"
    b"</item>"
    b"<item><title>Unclosed <b>bold & stray ampersand</title>"
    b"<link>https://m.example.org/2</link></item>"
    b"<item><title>Third entry</title><link>https://m.example.org/3</link></item>"
    b"</channel></rss>"
)
# Not a feed at all.
GARBAGE = b"<<<>>> this is not a feed \x00\x01 <rss <channel"
# Cut off inside the first entry: nothing usable.
TRUNCATED_EARLY = RSS_KA[: RSS_KA.index(b"<item>") + 40]
# Cut off after two complete entries.
TRUNCATED_LATE = RSS_KA[: RSS_KA.rindex(b"<item>") + 30]

# Declared UTF-8, really windows-1251 (Russian): decoded by detection.
MISENCODED = rss(
    [
        FeedItem(
            "Народный защитник раскритиковал индексацию пенсий",
            "Рост пенсий не поспевает за инфляцией, заявил народный защитник.",
            "https://ru.example.ge/news/1",
            "ru-1",
        ),
        FeedItem(
            "Мэрия Тбилиси открыла новые детские сады",
            "Новые детские сады открылись в шести районах города.",
            "https://ru.example.ge/news/2",
            "ru-2",
        ),
    ],
    title="Новости Грузии",
    language="ru",
    encoding="windows-1251",
    declare="utf-8",
)
# Bytes no text encoding explains.
UNDECODABLE = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
    + bytes(range(128, 256)) * 40
    + b"</title><item><title>"
    + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC0, 0xC1, 0xF5, 0xFF]) * 50
    + b"</title><link>https://u.example.org/1</link></item></channel></rss>"
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><link>https://b.example.org/1</link></item>
</channel></rss>
"""

XXE = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>XXE</title>
<item><title>Leak: &secret;</title><link>https://x.example.org/1</link></item>
</channel></rss>
"""

XXE_PARAMETER = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>XXE</title>
<item><title>Parameter entity</title><link>https://x.example.org/1</link></item>
</channel></rss>
"""

# A harmless DOCTYPE (RSS 0.91 had one): accepted.
NETSCAPE_DOCTYPE = rss(
    EN_ITEMS,
    title="Old style",
    doctype='<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n',
)

# A web page without a feed: a listing of articles on the same site.
LISTING_PAGE = """<!DOCTYPE html>
<html lang="ka"><head><meta charset="utf-8"><title>ახალი ამბები</title></head>
<body>
<nav><a href="/">მთავარი</a> <a href="/ka/news">სიახლეები</a>
<a href="/ka/about">ჩვენ შესახებ</a> <a href="https://facebook.com/x">Facebook</a></nav>
<main>
<article><h2><a href="/ka/news/2026/03/public-defender-pensions">
სახალხო დამცველი პენსიების ინდექსაციას აკრიტიკებს</a></h2></article>
<article><h2><a href="/ka/news/2026/03/kindergartens">
თბილისის მერიამ ექვს რაიონში ახალი საბავშვო ბაღები გახსნა</a></h2></article>
<article><h2><a href="https://www.gov.example.ge/ka/news/2026/03/transport?utm_source=x">
საზოგადოებრივი ტრანსპორტის განახლებაზე 40 მილიონი ლარი დაიხარჯება</a></h2>
</article>
<article><h2><a href="https://elsewhere.example.com/ka/news/2026/03/other">
სხვა საიტის სტატია, რომელიც არ უნდა ჩაითვალოს</a></h2></article>
<a href="javascript:alert(1)">ეს ბმული საშიში სკრიპტია და უნდა გამოტოვდეს</a>
</main>
<footer><a href="/ka/privacy">კონფიდენციალურობა</a></footer>
</body></html>
""".encode()

ARTICLE_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Public Defender criticises pension indexation | Civil</title>
<meta property="og:title" content="Public Defender criticises pension indexation">
<meta name="author" content="Sarah Smith">
<meta property="article:published_time" content="2026-03-02T08:00:00+04:00">
<link rel="canonical" href="https://www.gov.example.ge/en/news/defender-pensions">
</head><body><nav><a href="/">Home</a></nav>
<article><h1>Public Defender criticises pension indexation</h1>
<p>The Public Defender said on Monday that the rise in pensions announced by the
government does not keep up with inflation, and asked parliament to review the
indexation formula before the budget is adopted.</p>
<p>Pensioners' organisations welcomed the statement. The ministry said it would
answer in writing within a week, as the law requires.</p>
<p>The office of the Public Defender has published its full report, with the
figures for each region, on its website.</p>
</article></body></html>
"""


# --- Sizes and bombs ------------------------------------------------------------------


def huge(size: int) -> bytes:
    """A well-formed feed of about ``size`` bytes."""
    item = b"<item><title>filler</title><link>https://h.example.org/1</link></item>"
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>'
    count = max(1, (size - len(head)) // len(item) + 1)
    return head + item * count + b"</channel></rss>"


@cache
def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """About ``size`` bytes of whitespace after a feed's start, gzipped (tiny)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * (1024 * 1024)
    parts = [compressor.compress(b'<?xml version="1.0"?><rss version="2.0">')]
    for _ in range(size // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.flush())
    return b"".join(parts)


@cache
def deflate_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    block = b"\x00" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


@cache
def brotli_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    import brotli

    return brotli.compress(b"\x00" * size, quality=1)
