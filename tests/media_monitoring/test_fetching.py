"""Our HTTP client against a real server on loopback: limits, 304, redirects, SSRF."""

import ipaddress
import socket
import subprocess
import threading
import time

import pytest
from django.utils import translation

from media_monitoring import fetching
from media_monitoring.fetching import FetchError, fetch
from tests.media_monitoring.feedserver import (
    ATOM_EN,
    RSS_KA,
    FeedServer,
    brotli_bomb,
    deflate_bomb,
    gzip_bomb,
    huge,
)

PUBLIC = "93.184.215.14"  # an address on the public internet (never contacted)


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = True
    settings.MONITORING_CONNECT_TIMEOUT = 2
    settings.MONITORING_READ_TIMEOUT = 2
    settings.MONITORING_MAX_BYTES = 1024 * 1024
    settings.MONITORING_MAX_REDIRECTS = 3
    with translation.override("en"):
        yield


def _error(url, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    return caught.value


# --- Answers --------------------------------------------------------------------------


def test_fetch_returns_body_validators_and_type(server, settings):
    url = server.add(
        "/ka.xml",
        body=RSS_KA,
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 09:00:00 GMT",
        content_type="application/rss+xml; charset=UTF-8",
    )
    result = fetch(url)
    assert result.status == 200
    assert result.body == RSS_KA
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 02 Mar 2026 09:00:00 GMT"
    assert result.content_type == "application/rss+xml"
    assert result.charset == "utf-8"
    assert result.final_url == url
    assert not result.not_modified
    sent = server.last_headers("/ka.xml")
    assert sent["User-Agent"] == settings.MONITORING_USER_AGENT
    assert "gzip" in sent["Accept-Encoding"]
    assert "If-None-Match" not in sent


def test_gzip_body_is_decompressed(server):
    url = server.add("/gz.xml", body=ATOM_EN, gzip=True)
    assert fetch(url).body == ATOM_EN


def test_etag_gives_304_not_modified(server):
    url = server.add("/e.xml", body=RSS_KA, etag='"abc"')
    result = fetch(url, etag='"abc"')
    assert result.status == 304
    assert result.not_modified
    assert result.body == b""
    assert result.etag == '"abc"'
    assert server.last_headers("/e.xml")["If-None-Match"] == '"abc"'


def test_last_modified_gives_304_and_keeps_old_validators(server):
    stamp = "Mon, 02 Mar 2026 09:00:00 GMT"
    url = server.add("/m.xml", body=RSS_KA, last_modified=stamp)
    result = fetch(url, last_modified=stamp)
    assert result.not_modified
    assert result.last_modified == stamp
    assert server.last_headers("/m.xml")["If-Modified-Since"] == stamp


def test_changed_etag_gives_the_new_body(server):
    url = server.add("/c.xml", body=RSS_KA, etag='"new"')
    result = fetch(url, etag='"old"')
    assert result.status == 200
    assert result.body == RSS_KA
    assert result.etag == '"new"'


def test_redirects_are_followed_to_the_final_address(server):
    server.redirect("/old", "/moved", status=301)
    server.redirect("/moved", server.url("/feed.xml"), status=308)
    server.add("/feed.xml", body=ATOM_EN)
    result = fetch(server.url("/old"))
    assert result.body == ATOM_EN
    assert result.final_url == server.url("/feed.xml")


def test_unicode_path_is_percent_encoded(server):
    server.add("/%E1%83%90%E1%83%AE%E1%83%90%E1%83%9A%E1%83%98.xml", body=RSS_KA)
    assert fetch(server.url("/ახალი.xml")).body == RSS_KA


# --- Failures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"), [(500, "HTTP 500"), (404, "HTTP 404"), (403, "Forbidden")]
)
def test_http_errors_are_fetch_errors(server, status, words):
    url = server.add("/err", status=status, body=b"no", content_type="text/plain")
    error = _error(url)
    assert error.status == status
    assert words in error.message


def test_redirect_loop_is_detected(server):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    error = _error(server.url("/a"))
    assert "circle" in error.message
    assert server.hits("/a") == 1
    assert server.hits("/b") == 1


def test_too_many_redirects(server):
    for n in range(10):
        server.redirect(f"/r{n}", f"/r{n + 1}")
    error = _error(server.url("/r0"))
    assert "Too many redirects (more than 3)" in error.message
    assert server.hits("/r4") == 0


def test_redirect_without_location(server):
    url = server.add("/nowhere", status=302, body=b"", content_type="")
    assert "without saying where" in _error(url).message


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://x/"]
)
def test_redirect_to_another_scheme_is_refused(server, target):
    server.redirect("/escape", target)
    assert "only http and https" in _error(server.url("/escape")).message


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", "//x/y"],
)
def test_only_http_and_https(url):
    assert "only http and https" in _error(url).message


def test_credentials_in_the_address_are_refused(server):
    url = server.url("/x").replace("http://", "http://user:secret@")
    assert "user name or password" in _error(url).message
    assert server.requests == []


def test_body_over_the_cap_declared_by_content_length(server):
    url = server.add("/huge", body=huge(2 * 1024 * 1024))
    assert "larger than 1.0" in _error(url).message


def test_body_over_the_cap_without_content_length(server):
    url = server.add("/stream", body=huge(2 * 1024 * 1024), length=False)
    error = _error(url)
    assert "larger than 1.0" in error.message
    assert "decompressed" not in error.message


@pytest.mark.parametrize(
    ("bomb", "encoding"),
    [(gzip_bomb, "gzip"), (deflate_bomb, "deflate"), (brotli_bomb, "br")],
)
def test_compression_bombs_stop_at_the_cap(server, bomb, encoding):
    body = bomb(16 * 1024 * 1024)
    assert len(body) < 100 * 1024  # small on the wire, 16 MB inflated
    url = server.add("/bomb", body=body, encoding=encoding)
    started = time.monotonic()
    error = _error(url)
    assert "once decompressed" in error.message
    assert time.monotonic() - started < 2


def test_unknown_content_encoding(server):
    url = server.add("/z", body=b"xx", encoding="zstd-weird")
    assert "cannot read (zstd-weird)" in _error(url).message


def test_damaged_gzip(server):
    url = server.add("/bad.gz", body=b"\x1f\x8b\x08\x00garbage" * 10, encoding="gzip")
    assert "damaged" in _error(url).message


def test_read_timeout(server, settings):
    settings.MONITORING_READ_TIMEOUT = 0.1
    url = server.add("/slow", body=RSS_KA, delay=0.5)
    started = time.monotonic()
    error = _error(url)
    assert "stopped answering" in error.message
    assert time.monotonic() - started < 0.45


def test_total_deadline_stops_a_dripping_server(server, settings):
    settings.MONITORING_READ_TIMEOUT = 0.2
    settings.MONITORING_TOTAL_TIMEOUT = 0.3
    # Each chunk comes within the read timeout; the whole takes ~1 s.
    url = server.add("/drip", body=RSS_KA, drip=0.05, chunk=100)
    started = time.monotonic()
    error = _error(url)
    assert "time limit" in error.message
    assert time.monotonic() - started < 0.6


def test_connection_refused(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert "Could not connect" in _error(f"http://127.0.0.1:{port}/").message


# --- SSRF -----------------------------------------------------------------------------


class FakeDNS:
    """A fake DNS at the getaddrinfo boundary.

    ``names`` maps host names to their addresses (or to a function giving
    them, for an answer that changes). The public address PUBLIC stands for
    "an allowed host": connecting to it (a numeric lookup) reaches the loopback
    test server, so that what an allowed host answers can be scripted.
    """

    def __init__(self, real, port):
        self.real = real
        self.port = port
        self.names = {}
        self.lookups = []

    def __call__(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        if host == PUBLIC:
            return self.real("127.0.0.1", self.port, *args, **kwargs)
        answers = self.names.get(host)
        if answers is None:
            return self.real(host, port, *args, **kwargs)
        if callable(answers):
            answers = answers()
        families = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (
                families[ipaddress.ip_address(a).version],
                socket.SOCK_STREAM,
                6,
                "",
                (a, port),
            )
            for a in answers
        ]


@pytest.fixture
def resolver(monkeypatch, server):
    fake = FakeDNS(socket.getaddrinfo, server.port)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost/feed",
        "http://10.0.0.5/feed",
        "http://192.168.1.1/feed",
        "http://172.16.0.1/feed",
        "http://100.64.0.1/feed",
        "http://[::1]/feed",
        "http://[::ffff:127.0.0.1]/feed",
        "http://[fe80::1]/feed",
        "http://[fc00::1]/feed",
        "http://0.0.0.0/feed",
        "http://2130706433/feed",
        "http://224.0.0.1/feed",
    ],
)
def test_private_and_local_addresses_are_refused(settings, url):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    error = _error(url)
    assert "local or private network address" in error.message


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://100.100.100.200/latest/meta-data/",
    ],
)
def test_cloud_metadata_is_refused_even_when_private_addresses_are_allowed(url):
    assert "cloud metadata" in _error(url).message


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.1.2.3"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        [PUBLIC, "10.1.2.3"],  # one bad answer is enough
        ["2002:7f00:1::1"],  # 6to4 around 127.0.0.1
        ["64:ff9b::a00:1"],  # NAT64 around 10.0.0.1
        ["::ffff:10.0.0.1"],  # IPv4-mapped
    ],
)
def test_names_resolving_to_private_addresses_are_refused(
    settings, resolver, server, addresses
):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    resolver.names["intranet.example.org"] = addresses
    server.add("/feed", body=RSS_KA)
    error = _error(f"http://intranet.example.org:{server.port}/feed")
    assert "intranet.example.org" in error.message
    assert server.hits("/feed") == 0


def test_allowed_host_is_fetched_with_its_own_name(settings, resolver, server):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    resolver.names["feeds.example.org"] = [PUBLIC]
    server.add("/feed", body=RSS_KA)
    result = fetch(f"http://feeds.example.org:{server.port}/feed")
    assert result.body == RSS_KA
    assert server.last_headers("/feed")["Host"] == f"feeds.example.org:{server.port}"


def test_redirect_from_an_allowed_host_to_a_private_one_is_refused(
    settings, resolver, server
):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    resolver.names["feeds.example.org"] = [PUBLIC]
    resolver.names["internal.example.org"] = ["10.0.0.7"]
    server.redirect("/start", f"http://internal.example.org:{server.port}/secret")
    server.add("/secret", body=b"internal data")
    error = _error(f"http://feeds.example.org:{server.port}/start")
    assert "internal.example.org" in error.message
    assert "10.0.0.7" in error.message
    assert server.hits("/start") == 1
    assert server.hits("/secret") == 0


def test_redirect_from_an_allowed_host_to_loopback_is_refused(
    settings, resolver, server
):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    resolver.names["feeds.example.org"] = [PUBLIC]
    server.redirect("/start", server.url("/secret"))
    server.add("/secret", body=b"internal data")
    error = _error(f"http://feeds.example.org:{server.port}/start")
    assert "127.0.0.1" in error.message
    assert server.hits("/secret") == 0


def test_the_checked_address_is_the_one_connected_to(settings, resolver, server):
    """DNS rebinding: the name is resolved once; a second answer is never asked."""
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])
    resolver.names["rebind.example.org"] = lambda: next(answers)
    server.add("/feed", body=RSS_KA)
    result = fetch(f"http://rebind.example.org:{server.port}/feed")
    assert result.body == RSS_KA
    assert resolver.lookups.count("rebind.example.org") == 1
    assert PUBLIC in resolver.lookups  # the connection went to the checked address


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.31.255.255", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),
        ("169.254.1.1", False),
        ("224.0.0.251", False),
        ("255.255.255.255", False),
        ("0.0.0.0", False),  # noqa: S104 - an address to refuse, not to bind
        ("::", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", False),  # a real AAAA answer is never IPv4-mapped
        ("2002:0a00:0001::1", False),
        ("64:ff9b::7f00:1", False),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),  # Teredo to 10.0.0.1
    ],
)
def test_is_public_address(address, public):
    assert fetching.is_public_address(ipaddress.ip_address(address)) is public


# --- TLS ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A throwaway CA and a certificate it signed for feeds.example.org."""
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=Test monitoring CA")  # fmt: skip
    openssl("req", *key, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=feeds.example.org")  # fmt: skip
    (folder / "san.cnf").write_text("subjectAltName=DNS:feeds.example.org\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2",
            "-extfile", "san.cnf")  # fmt: skip
    return folder


@pytest.fixture
def tls_server(certificates):
    tls = (str(certificates / "server.pem"), str(certificates / "server.key"))
    with FeedServer(tls=tls) as running:
        yield running


@pytest.fixture
def tls_resolver(monkeypatch, tls_server):
    fake = FakeDNS(socket.getaddrinfo, tls_server.port)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    fake.names["feeds.example.org"] = [PUBLIC]
    fake.names["other.example.org"] = [PUBLIC]
    return fake


def test_https_checks_the_certificate_against_the_host_name(
    settings, certificates, tls_server, tls_resolver, monkeypatch
):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))
    tls_server.add("/feed", body=RSS_KA)
    # Connected to the checked address, verified against the name.
    result = fetch(f"https://feeds.example.org:{tls_server.port}/feed")
    assert result.body == RSS_KA
    # The same server under another name: the certificate does not match.
    error = _error(f"https://other.example.org:{tls_server.port}/feed")
    assert "secure connection to other.example.org failed" in error.message
    assert tls_server.hits("/feed") == 1


def test_https_refuses_an_untrusted_certificate(settings, tls_server, tls_resolver):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    tls_server.add("/feed", body=RSS_KA)
    error = _error(f"https://feeds.example.org:{tls_server.port}/feed")
    assert "secure connection to feeds.example.org failed" in error.message
    assert "certificate" in error.message
    assert tls_server.hits("/feed") == 0


def test_a_server_that_does_not_speak_http():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        def answer():
            connection, _address = listener.accept()
            with connection:
                connection.recv(1024)
                connection.sendall(b"220 smtp.example.org ESMTP ready\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        error = _error(f"http://127.0.0.1:{port}/feed")
        thread.join(timeout=1)
    assert "127.0.0.1" in error.message
