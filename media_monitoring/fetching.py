"""Our own HTTP client for pulling feeds: bounded, conditional, and SSRF-guarded.

Anyone with the right to add a source can make the server fetch an address, so
each fetch is treated as hostile:

- only http and https; the host name is resolved here, every address it
  resolves to must be a public one (unless MONITORING_ALLOW_PRIVATE_ADDRESSES),
  and the connection goes to the address that was checked, so a second DNS
  answer cannot swap in an internal one (DNS rebinding). TLS still verifies the
  certificate against the host name;
- redirects are followed by hand, each target checked the same way, with a
  bounded number of hops and loop detection;
- connect and read timeouts, plus a deadline for the whole fetch (a server that
  drips one byte just inside the read timeout is stopped too);
- the body is capped at MONITORING_MAX_BYTES while it streams in and again
  after decompression, which is done here, incrementally, so that a small
  gzip/deflate/brotli "bomb" stops at the cap instead of filling the memory;
- conditional GET: If-None-Match / If-Modified-Since, and 304 means nothing
  changed.

Cloud metadata endpoints are refused always, even where private addresses are
allowed (a development machine or the test suite): no feed lives there, and
they hand out credentials.
"""

import ipaddress
import queue
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

try:  # Brotli is optional: without it (or a bounded decoder) "br" is not asked for.
    import brotli

    brotli.Decompressor().process(b"", output_buffer_limit=1)
    _HAS_BROTLI = True
except (ImportError, TypeError, AttributeError):  # pragma: no cover
    brotli = None
    _HAS_BROTLI = False

CHUNK = 64 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
# Host names of cloud metadata services (the addresses are listed below).
METADATA_HOSTS = {
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "metadata.azure.com",
    "instance-data",
    "instance-data.ec2.internal",
}
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DO…
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("169.254.169.253"),  # AWS DNS
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("fd00:ec2::253"),
}
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64).
NAT64_NETWORKS = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
)


class FetchError(Exception):
    """A fetch failed; ``message`` is a translated sentence for the source's page."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


@dataclass
class FetchResult:
    """What a server answered: 200 with a body, or 304 (``not_modified``)."""

    status: int
    body: bytes
    etag: str
    last_modified: str
    final_url: str
    content_type: str = ""
    charset: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == HTTPStatus.NOT_MODIFIED


# --- Addresses ------------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses hidden in an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    found = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    if any(address in network for network in NAT64_NETWORKS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    compatible = int(address)
    if compatible >> 32 == 0 and compatible > 1:  # deprecated ::a.b.c.d form
        found.append(ipaddress.IPv4Address(compatible))
    return found


def is_metadata_address(address) -> bool:
    if address in METADATA_ADDRESSES:
        return True
    if isinstance(address, ipaddress.IPv6Address):
        return any(inner in METADATA_ADDRESSES for inner in _embedded_ipv4(address))
    return False


def is_public_address(address) -> bool:
    """True for an address on the public internet (not local, private or special)."""
    if (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    ):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(is_public_address(inner) for inner in _embedded_ipv4(address))
    return True


def _resolve(host: str, port: int, timeout: float) -> list[tuple]:
    """getaddrinfo with a time limit (the C resolver has none of its own)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # an address already: nothing to look up, nothing to wait for
        return socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
        )
    answers: queue.Queue = queue.Queue(maxsize=1)

    def lookup():
        try:
            answers.put((True, socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
        except (OSError, UnicodeError) as exc:
            answers.put((False, exc))

    threading.Thread(target=lookup, daemon=True, name="monitoring-dns").start()
    try:
        ok, value = answers.get(timeout=timeout)
    except queue.Empty:
        raise FetchError(
            _("Looking up the host name %(host)s took too long.") % {"host": host}
        ) from None
    if not ok:
        raise FetchError(
            _("The host name %(host)s could not be found.") % {"host": host}
        ) from value
    return value


def checked_addresses(host: str, port: int, *, timeout: float) -> list[str]:
    """The addresses ``host`` resolves to, each one checked; raises FetchError.

    Every answer must pass (not just the first): a name that resolves to a
    public and a private address is refused as a whole.
    """
    name = host.rstrip(".").lower()
    if name in METADATA_HOSTS or name.endswith(".metadata.google.internal"):
        raise FetchError(
            _("%(host)s is a cloud metadata service; it is never fetched.")
            % {"host": host}
        )
    allow_private = settings.MONITORING_ALLOW_PRIVATE_ADDRESSES
    addresses = []
    for _family, _type, _proto, _canon, sockaddr in _resolve(host, port, timeout):
        text = str(sockaddr[0])
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise FetchError(
                _("The host name %(host)s could not be found.") % {"host": host}
            ) from None
        if is_metadata_address(address):
            raise FetchError(
                _("%(host)s is a cloud metadata service; it is never fetched.")
                % {"host": host}
            )
        if not allow_private and not is_public_address(address):
            raise FetchError(
                _(
                    "%(host)s points to a local or private network address "
                    "(%(address)s); such addresses are not fetched."
                )
                % {"host": host, "address": text.split("%")[0]}
            )
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise FetchError(
            _("The host name %(host)s could not be found.") % {"host": host}
        )
    return addresses


# --- Addresses of the web -------------------------------------------------------------


@dataclass
class _Target:
    scheme: str
    host: str  # IDNA (ASCII) form
    port: int
    path: str  # path and query, percent-encoded
    url: str  # the whole address, normalised, for messages and loop detection

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(
            _("%(url)s is not a valid web address.") % {"url": url}
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            _("%(url)s is not a web address: only http and https are fetched.")
            % {"url": url}
        )
    hostname = parts.hostname or ""
    if not hostname:
        raise FetchError(_("%(url)s has no host name.") % {"url": url})
    if parts.username or parts.password:
        raise FetchError(
            _("%(url)s holds a user name or password; they are not sent.")
            % {"url": url}
        )
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError(
            _("%(url)s is not a valid web address.") % {"url": url}
        ) from None
    port = port or (443 if scheme == "https" else 80)
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_QUERY)
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{port}"
    normalised = urlunsplit((scheme, netloc, path.split("?")[0], parts.query, ""))
    return _Target(scheme=scheme, host=host, port=port, path=path, url=normalised)


# --- Bodies ---------------------------------------------------------------------------


class _Decoder:
    """Incremental decompression with a cap on what comes out."""

    def __init__(self, encodings: list[str], limit: int):
        self.limit = limit
        self.size = 0
        self.steps = []
        # Content-Encoding lists the codings in the order they were applied.
        for encoding in reversed(encodings):
            if encoding in ("gzip", "x-gzip"):
                self.steps.append(("zlib", zlib.decompressobj(16 + zlib.MAX_WBITS)))
            elif encoding == "deflate":
                self.steps.append(("deflate", None))
            elif encoding == "br" and _HAS_BROTLI:
                self.steps.append(("br", brotli.Decompressor()))
            else:
                raise FetchError(
                    _(
                        "The server compressed the response in a way we cannot "
                        "read (%(encoding)s)."
                    )
                    % {"encoding": encoding}
                )

    def _too_big(self) -> FetchError:
        return FetchError(
            _("The response is larger than %(limit)s once decompressed.")
            % {"limit": filesizeformat(self.limit)}
        )

    def _run(self, index: int, data: bytes, budget: int) -> bytes:
        kind, state = self.steps[index]
        if kind == "deflate" and state is None:
            # "deflate" is zlib-wrapped by the standard and raw by some servers.
            wrapped = (
                bool(data)
                and (data[0] & 0x0F) == 8
                and ((data[0] << 8) + (data[1] if len(data) > 1 else 0)) % 31 == 0
            )
            state = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            self.steps[index] = ("zlib", state)
            kind = "zlib"
        out = []
        produced = 0
        if kind == "zlib":
            chunk = state.decompress(data, budget + 1)
            while True:
                out.append(chunk)
                produced += len(chunk)
                if produced > budget:
                    raise self._too_big()
                if not state.unconsumed_tail:
                    break
                chunk = state.decompress(state.unconsumed_tail, budget - produced + 1)
        else:  # brotli
            chunk = state.process(data, output_buffer_limit=budget + 1)
            while True:
                out.append(chunk)
                produced += len(chunk)
                if produced > budget:
                    raise self._too_big()
                if state.can_accept_more_data():
                    break
                chunk = state.process(b"", output_buffer_limit=budget - produced + 1)
        return b"".join(out)

    def feed(self, data: bytes) -> bytes:
        try:
            for index in range(len(self.steps)):
                data = self._run(index, data, self.limit - self.size)
        except (zlib.error, OSError) as exc:
            raise FetchError(_("The compressed response is damaged.")) from exc
        except FetchError:
            raise
        except Exception as exc:
            # brotli.error is not importable under one stable name.
            raise FetchError(_("The compressed response is damaged.")) from exc
        self.size += len(data)
        if self.size > self.limit:
            raise self._too_big()
        return data


def _content_type(headers) -> tuple[str, str]:
    value = headers.get("Content-Type", "")
    if not value:
        return "", ""
    try:
        content_type, params = parse_header_parameters(value)
    except (ValueError, UnicodeError):
        return "", ""
    return content_type.lower(), (params.get("charset") or "").strip("'\" ").lower()


def _encodings(headers) -> list[str]:
    value = headers.get("Content-Encoding", "") or ""
    return [
        part.strip().lower()
        for part in value.split(",")
        if part.strip() and part.strip().lower() != "identity"
    ]


# --- The fetch ------------------------------------------------------------------------


def _timeouts() -> tuple[float, float, float]:
    connect = float(settings.MONITORING_CONNECT_TIMEOUT)
    read = float(settings.MONITORING_READ_TIMEOUT)
    total = float(settings.MONITORING_TOTAL_TIMEOUT or connect + read)
    return connect, read, total


def _pool(target: _Target, address: str, connect: float, read: float):
    timeout = urllib3.Timeout(connect=connect, read=read)
    common = {"timeout": timeout, "retries": False, "maxsize": 1, "block": False}
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **common,
        )
    return urllib3.HTTPConnectionPool(address, target.port, **common)


def _network_error(exc: Exception, target: _Target) -> FetchError:
    host = target.host
    if isinstance(exc, NewConnectionError | ConnectionError):
        message = _("Could not connect to %(host)s.") % {"host": host}
    elif isinstance(exc, ConnectTimeoutError):
        message = _("Connecting to %(host)s took too long.") % {"host": host}
    elif isinstance(exc, ReadTimeoutError | TimeoutError | socket.timeout):
        message = _("%(host)s stopped answering (the read timed out).") % {"host": host}
    elif isinstance(exc, SSLError):
        message = _("The secure connection to %(host)s failed: %(reason)s") % {
            "host": host,
            "reason": str(exc)[:200],
        }
    elif isinstance(exc, ProtocolError):
        message = _("The connection to %(host)s broke off.") % {"host": host}
    else:
        message = _("Fetching from %(host)s failed: %(reason)s") % {
            "host": host,
            "reason": str(exc)[:200],
        }
    return FetchError(message)


def _timeout_error(total: float) -> FetchError:
    return FetchError(
        _("The download was stopped at its time limit (%(seconds)s s).")
        % {"seconds": f"{total:g}"}
    )


def _read_body(response, headers, target, limit: int, deadline: float, total: float):
    declared = headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limit:
        raise FetchError(
            _("The response is larger than %(limit)s.")
            % {"limit": filesizeformat(limit)}
        )
    decoder = _Decoder(_encodings(headers), limit)
    sock = getattr(getattr(response, "connection", None), "sock", None)
    _connect, read, _total = _timeouts()
    received = 0
    parts = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timeout_error(total)
        if sock is not None:
            # Each read waits at most the read timeout, and never past the deadline.
            sock.settimeout(min(read, remaining))
        try:
            chunk = response.read1(CHUNK, decode_content=False)
        except (HTTPError, OSError) as exc:
            if time.monotonic() >= deadline:
                raise _timeout_error(total) from exc
            raise _network_error(exc, target) from exc
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            raise FetchError(
                _("The response is larger than %(limit)s.")
                % {"limit": filesizeformat(limit)}
            )
        parts.append(decoder.feed(chunk))
    return b"".join(parts)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET ``url`` under every limit above; 304 when the validators still hold.

    Raises FetchError (translated message) for anything but a 2xx or 304 answer.
    """
    connect, read, total = _timeouts()
    deadline = time.monotonic() + total
    limit = int(settings.MONITORING_MAX_BYTES)
    max_redirects = int(settings.MONITORING_MAX_REDIRECTS)
    headers = {
        "User-Agent": settings.MONITORING_USER_AGENT,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate, br" if _HAS_BROTLI else "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    target = _target(url)
    visited = {target.url}
    redirects = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timeout_error(total)
        addresses = checked_addresses(
            target.host, target.port, timeout=min(connect, remaining)
        )
        response, pool = _request(target, addresses, headers, connect, read, deadline)
        try:
            status = response.status
            if status in REDIRECT_STATUSES:
                location = response.headers.get("Location", "").strip()
                if not location:
                    raise FetchError(
                        _("The server redirected without saying where to.")
                    )
                redirects += 1
                if redirects > max_redirects:
                    raise FetchError(
                        _("Too many redirects (more than %(count)d).")
                        % {"count": max_redirects}
                    )
                target = _target(urljoin(target.url, location))
                if target.url in visited:
                    raise FetchError(
                        _("The redirects go round in a circle (back to %(url)s).")
                        % {"url": target.url}
                    )
                visited.add(target.url)
                continue
            response_headers = response.headers
            content_type, charset = _content_type(response_headers)
            result = FetchResult(
                status=status,
                body=b"",
                etag=(response_headers.get("ETag") or "").strip()[:300],
                last_modified=(response_headers.get("Last-Modified") or "").strip()[
                    :100
                ],
                final_url=target.url,
                content_type=content_type,
                charset=charset,
            )
            if status == HTTPStatus.NOT_MODIFIED:
                # A 304 may leave out the validators; the old ones still hold.
                result.etag = result.etag or etag
                result.last_modified = result.last_modified or last_modified
                return result
            if not 200 <= status < 300:
                try:
                    reason = HTTPStatus(status).phrase
                except ValueError:
                    reason = response.reason or ""
                raise FetchError(
                    _("The server answered HTTP %(status)d (%(reason)s).")
                    % {"status": status, "reason": reason},
                    status=status,
                )
            result.body = _read_body(
                response, response_headers, target, limit, deadline, total
            )
            return result
        finally:
            response.release_conn()
            response.close()
            pool.close()


def _request(target, addresses, headers, connect, read, deadline):
    """Send the GET to the first checked address that accepts a connection."""
    last_error: Exception | None = None
    headers = {**headers, "Host": target.host_header}
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        pool = _pool(target, address, min(connect, remaining), min(read, remaining))
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
                release_conn=False,
            )
        except (HTTPError, OSError) as exc:
            pool.close()
            last_error = exc
            if isinstance(exc, NewConnectionError | ConnectTimeoutError):
                continue  # the next address of the same name may answer
            break
        return response, pool
    if last_error is None:
        raise _timeout_error(_timeouts()[2])
    if time.monotonic() >= deadline:
        raise _timeout_error(_timeouts()[2]) from last_error
    raise _network_error(last_error, target) from last_error
