"""The SSRF-safe fetcher, against real (and hostile) servers on 127.0.0.1.

No database and no internet: servers are local, and tests that need a "public"
address stand in for the network (fetch._open_tcp) instead of reaching it.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from ingestion import fetch
from ingestion.fetch import (
    FetchError,
    FetchHTTPError,
    FetchRefused,
    FetchResult,
    FetchTimeout,
    FetchTooLarge,
    fetch_to_file,
    fetch_url,
    is_public_address,
)
from testing.http_servers import (
    SAMPLE_RSS,
    MiB,
    Response,
    conditional,
    echo_headers,
    endless_redirects,
    gzip_bomb,
    gzipped,
    huge_body,
    invalid_utf8,
    redirect,
    self_signed_cert,
    serve,
    status,
    trickle,
    trickle_headers,
    with_content_type,
)

LOCAL = ["127.0.0.1"]
PUBLIC_STAND_IN = "93.184.216.34"  # only ever "reached" through a patched _open_tcp


@pytest.fixture(autouse=True)
def _no_remembered_backoff():
    fetch.forget_retry_after()
    yield
    fetch.forget_retry_after()


@pytest.fixture
def server():
    with serve() as running:
        yield running


def _local_connect_spy(monkeypatch, port: int | None = None) -> list[tuple[str, int]]:
    """Record every TCP connection attempt; with `port`, send it to 127.0.0.1:port."""
    attempts: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address, timeout, source_address=None, socket_options=None):
        attempts.append(address)
        if port is None:
            raise AssertionError(f"tried to connect to {address}")
        return real(("127.0.0.1", port), timeout)

    monkeypatch.setattr(fetch, "_open_tcp", spy)
    return attempts


# ------------------------------------------------------------------------- happy paths


def test_plain_fetch(server):
    server.routes["/feed.xml"] = conditional()
    result = fetch_url(server.url("/feed.xml"), allow_hosts=LOCAL)
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.content == SAMPLE_RSS
    assert result.url == server.url("/feed.xml")
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert result.content_type == "application/rss+xml"
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert result.not_modified is False


def test_request_headers(server):
    server.routes["/echo"] = echo_headers()
    result = fetch_url(
        server.url("/echo"),
        allow_hosts=LOCAL,
        accept="application/rss+xml",
        etag='"abc"',
        last_modified="Tue, 02 Jan 2024 00:00:00 GMT",
    )
    sent = json.loads(result.content)
    assert sent["user-agent"].startswith("newsroom")
    assert sent["accept"] == "application/rss+xml"
    assert "gzip" in sent["accept-encoding"]
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == "Tue, 02 Jan 2024 00:00:00 GMT"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_body_is_decoded(server, encoding):
    server.routes["/feed.xml"] = gzipped(SAMPLE_RSS, encoding=encoding)
    assert fetch_url(server.url("/feed.xml"), allow_hosts=LOCAL).content == SAMPLE_RSS


def test_not_modified_by_etag(server):
    server.routes["/feed.xml"] = conditional()
    result = fetch_url(server.url("/feed.xml"), allow_hosts=LOCAL, etag='"v1"')
    assert result.status == 304
    assert result.not_modified is True
    assert result.content == b""
    assert result.etag == '"v1"'


def test_not_modified_by_date(server):
    server.routes["/feed.xml"] = conditional()
    result = fetch_url(
        server.url("/feed.xml"),
        allow_hosts=LOCAL,
        last_modified="Mon, 01 Jan 2024 00:00:00 GMT",
    )
    assert result.not_modified is True


def test_changed_etag_gets_the_body(server):
    server.routes["/feed.xml"] = conditional(etag='"v2"')
    result = fetch_url(server.url("/feed.xml"), allow_hosts=LOCAL, etag='"v1"')
    assert result.status == 200
    assert result.etag == '"v2"'
    assert result.content == SAMPLE_RSS


def test_relative_redirect_is_followed(server):
    server.routes["/old"] = redirect("/new", status=301)
    server.routes["/new"] = SAMPLE_RSS
    result = fetch_url(server.url("/old"), allow_hosts=LOCAL)
    assert result.url == server.url("/new")
    assert result.content == SAMPLE_RSS


def test_bytes_are_returned_untouched(server):
    server.routes["/bad-utf8"] = invalid_utf8()
    server.routes["/html"] = with_content_type(
        b"<html>no feed</html>", "text/html; charset=latin-1"
    )
    assert b"\xff\xfe" in fetch_url(server.url("/bad-utf8"), allow_hosts=LOCAL).content
    html = fetch_url(server.url("/html"), allow_hosts=LOCAL)
    assert html.content_type == "text/html"
    assert html.content == b"<html>no feed</html>"


def test_allow_hosts_defaults_to_the_setting(server, settings):
    server.routes["/feed.xml"] = SAMPLE_RSS
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    assert fetch_url(server.url("/feed.xml")).content == SAMPLE_RSS
    settings.FETCH_ALLOW_HOSTS = []
    with pytest.raises(FetchRefused):
        fetch_url(server.url("/feed.xml"))


def test_allow_list_accepts_networks(server):
    server.routes["/feed.xml"] = SAMPLE_RSS
    assert fetch_url(server.url("/feed.xml"), allow_hosts=["127.0.0.0/8"]).status == 200


def test_url_credentials_stay_on_their_origin(server):
    server.routes["/echo"] = echo_headers()
    server.routes["/away"] = redirect(f"http://localhost:{server.port}/echo")
    base = f"http://user:secret@127.0.0.1:{server.port}"
    allowed = ["127.0.0.1", "localhost"]
    same = json.loads(fetch_url(f"{base}/echo", allow_hosts=allowed).content)
    assert same["authorization"].startswith("Basic ")
    other = json.loads(fetch_url(f"{base}/away", allow_hosts=allowed).content)
    assert "authorization" not in other


# ------------------------------------------------------------------------- size limits


def test_declared_length_over_the_cap_is_refused_upfront(server):
    server.routes["/big"] = huge_body(100 * MiB)
    with pytest.raises(FetchTooLarge, match="declares 104857600 bytes"):
        fetch_url(server.url("/big"), allow_hosts=LOCAL, max_bytes=MiB)


def test_undeclared_length_is_cut_while_streaming(server):
    server.routes["/big"] = huge_body(100 * MiB, declare_length=False)
    with pytest.raises(FetchTooLarge, match="more than the 1048576-byte limit"):
        fetch_url(server.url("/big"), allow_hosts=LOCAL, max_bytes=MiB)
    # The client hung up near the cap instead of reading the body to its end (socket
    # buffers let the server write a few MiB more before it notices).
    assert server.bytes_sent("/big") < 50 * MiB


def test_gzip_bomb_is_refused_on_decoded_size(server):
    server.routes["/bomb"] = gzip_bomb(100 * MiB)
    with pytest.raises(FetchTooLarge) as caught:
        fetch_url(server.url("/bomb"), allow_hosts=LOCAL, max_bytes=MiB)
    assert caught.value.transient is False


def test_body_exactly_at_the_cap_is_fine(server):
    server.routes["/exact"] = b"x" * 1000
    assert len(fetch_url(server.url("/exact"), allow_hosts=LOCAL, max_bytes=1000).content) == 1000
    server.routes["/gz"] = gzipped(b"y" * 1001)
    with pytest.raises(FetchTooLarge):
        fetch_url(server.url("/gz"), allow_hosts=LOCAL, max_bytes=1000)


# ------------------------------------------------------------------------- time limits


@pytest.mark.parametrize("route", [trickle(interval=0.5), trickle_headers(interval=0.5)])
def test_trickling_server_is_cut_at_the_deadline(server, route):
    server.routes["/slow"] = route
    with pytest.raises(FetchTimeout) as caught:
        fetch_url(server.url("/slow"), allow_hosts=LOCAL, timeout_total=1.5)
    assert caught.value.transient is True
    assert "took longer than 1.5 s" in str(caught.value)
    # Cut off, not waited out: at two bytes a second the whole answer (263 bytes or
    # more) takes minutes; the server got to send only part of it. How soon the cut
    # comes is measured by bench/fault_timing.py.
    assert 0 < server.bytes_sent("/slow") < len(SAMPLE_RSS)


def test_deadline_covers_the_whole_redirect_chain(server):
    server.routes["/hop"] = redirect("/slow")
    server.routes["/slow"] = trickle(interval=0.5)
    with pytest.raises(FetchTimeout):
        fetch_url(server.url("/hop"), allow_hosts=LOCAL, timeout_total=1.0)


# ------------------------------------------------------------------------- redirects


def test_endless_redirects_are_refused(server):
    server.routes["/loop"] = endless_redirects()
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetch_url(server.url("/loop"), allow_hosts=LOCAL)
    assert server.hits("/loop") == 6  # the first request and five redirects


def test_five_redirects_are_fine(server):
    for n in range(5):
        server.routes[f"/r{n}"] = redirect(f"/r{n + 1}")
    server.routes["/r5"] = SAMPLE_RSS
    assert fetch_url(server.url("/r0"), allow_hosts=LOCAL).url == server.url("/r5")


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/admin", "private"),
        ("http://127.0.0.2:8080/", "loopback"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
    ],
)
def test_redirect_to_an_internal_address_is_refused_before_connecting(
    server, monkeypatch, target, kind
):
    server.routes["/go"] = redirect(target)
    real_open = fetch._open_tcp
    attempts: list[tuple[str, int]] = []

    def spy(address, *args, **kwargs):
        attempts.append(address)
        return real_open(address, *args, **kwargs)

    monkeypatch.setattr(fetch, "_open_tcp", spy)
    # 127.0.0.1 is allowed (the first hop must be reached); the target never is.
    with pytest.raises(FetchRefused, match=kind) as caught:
        fetch_url(server.url("/go"), allow_hosts=LOCAL)
    assert attempts == [("127.0.0.1", server.port)]
    assert caught.value.transient is False


def test_https_to_http_downgrade_is_refused():
    current = fetch._parse_target("https://feeds.example.org/show.xml")
    with pytest.raises(FetchRefused, match="https to plain http"):
        fetch._redirect_target(current, "http://feeds.example.org/show.xml")
    upgraded = fetch._redirect_target(
        fetch._parse_target("http://a.example/x"), "https://b.example/y"
    )
    assert upgraded.scheme == "https"
    relative = fetch._redirect_target(current, "../other.xml?x=1#frag")
    assert relative.url == "https://feeds.example.org/other.xml?x=1"


# ------------------------------------------------------------------------- address policy


def test_loopback_is_refused_without_the_allow_list(server):
    server.routes["/feed.xml"] = SAMPLE_RSS
    with pytest.raises(FetchRefused, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        fetch_url(server.url("/feed.xml"), allow_hosts=[])
    assert server.hits() == 0


def test_hostname_resolving_to_loopback_is_refused(server):
    server.routes["/feed.xml"] = SAMPLE_RSS
    with pytest.raises(FetchRefused, match="localhost resolves to"):
        fetch_url(f"http://localhost:{server.port}/feed.xml", allow_hosts=[])
    assert server.hits() == 0


def test_hostname_can_be_allowed_by_name(server):
    server.routes["/feed.xml"] = SAMPLE_RSS
    url = f"http://localhost:{server.port}/feed.xml"
    assert fetch_url(url, allow_hosts=["localhost"]).content == SAMPLE_RSS


def test_connected_peer_is_checked(server, monkeypatch):
    """Whatever resolution said, the address actually reached is what counts."""
    server.routes["/feed.xml"] = SAMPLE_RSS
    attempts = _local_connect_spy(monkeypatch, port=server.port)
    with pytest.raises(FetchRefused, match=r"connected to 127\.0\.0\.1, a loopback address"):
        fetch_url(f"http://{PUBLIC_STAND_IN}:{server.port}/feed.xml", allow_hosts=[])
    assert attempts == [(PUBLIC_STAND_IN, server.port)]
    assert server.hits() == 0  # closed before a single byte of HTTP was sent


def test_connected_peer_allowed_by_the_allow_list(server, monkeypatch):
    server.routes["/feed.xml"] = SAMPLE_RSS
    _local_connect_spy(monkeypatch, port=server.port)
    url = f"http://{PUBLIC_STAND_IN}:{server.port}/feed.xml"
    assert fetch_url(url, allow_hosts=LOCAL).content == SAMPLE_RSS


def test_check_peer_on_a_real_socket(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        with pytest.raises(FetchRefused, match="loopback"):
            fetch._check_peer(sock, "feeds.example.org", fetch._AllowList())
        fetch._check_peer(sock, "feeds.example.org", fetch._AllowList.from_entries(LOCAL))
        fetch._check_peer(
            sock, "feeds.example.org", fetch._AllowList.from_entries(["Feeds.Example.org."])
        )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/feed.xml",
        "gopher://example.org/",
        "dict://example.org:11211/",
        "javascript:alert(1)",
        "example.org/feed.xml",
    ],
)
def test_other_schemes_are_refused(url, monkeypatch):
    _local_connect_spy(monkeypatch)
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://100.64.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
    ],
)
def test_internal_literals_are_refused(url, monkeypatch):
    _local_connect_spy(monkeypatch)
    with pytest.raises(FetchRefused, match="^refused: "):
        fetch_url(url, allow_hosts=LOCAL)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.31.255.255", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("100.127.255.255", False),
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("::ffff:8.8.8.8", True),
        ("2002:0a00:0001::1", False),  # 6to4 around 10.0.0.1
        ("64:ff9b::10.0.0.1", False),  # NAT64 around 10.0.0.1
    ],
)
def test_is_public_address(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


# ------------------------------------------------------------------------- HTTP errors


def test_404_is_not_transient(server):
    server.routes["/gone"] = status(404)
    with pytest.raises(FetchHTTPError) as caught:
        fetch_url(server.url("/gone"), allow_hosts=LOCAL)
    assert caught.value.status == 404
    assert caught.value.transient is False
    assert "HTTP 404" in str(caught.value)


def test_500_is_transient(server):
    server.routes["/oops"] = status(500)
    with pytest.raises(FetchHTTPError) as caught:
        fetch_url(server.url("/oops"), allow_hosts=LOCAL)
    assert caught.value.status == 500
    assert caught.value.transient is True


def test_retry_after_seconds_is_remembered(server):
    server.routes["/busy"] = status(429, retry_after="120")
    server.routes["/other"] = SAMPLE_RSS
    with pytest.raises(FetchHTTPError) as first:
        fetch_url(server.url("/busy"), allow_hosts=LOCAL)
    assert first.value.status == 429
    assert first.value.transient is True
    assert first.value.retry_after == 120
    with pytest.raises(FetchHTTPError) as second:
        fetch_url(server.url("/other"), allow_hosts=LOCAL)
    assert second.value.transient is True
    assert 100 < second.value.retry_after <= 120
    assert server.hits() == 1  # the second fetch never reached the server
    fetch.forget_retry_after(server.url("/"))
    assert fetch_url(server.url("/other"), allow_hosts=LOCAL).status == 200


def test_retry_after_http_date_is_remembered(server):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    server.routes["/down"] = status(503, retry_after=when)
    with pytest.raises(FetchHTTPError) as first:
        fetch_url(server.url("/down"), allow_hosts=LOCAL)
    assert first.value.status == 503
    assert 80 < first.value.retry_after <= 90
    with pytest.raises(FetchHTTPError, match="retry after"):
        fetch_url(server.url("/down"), allow_hosts=LOCAL)
    assert server.hits() == 1


def test_503_without_retry_after_is_transient_and_not_remembered(server):
    server.routes["/down"] = status(503)
    for _ in range(2):
        with pytest.raises(FetchHTTPError) as caught:
            fetch_url(server.url("/down"), allow_hosts=LOCAL)
        assert caught.value.transient is True
        assert caught.value.retry_after is None
    assert server.hits() == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0.0), ("30", 30.0), ("soon", None), ("", None), ("-5", None)],
)
def test_parse_retry_after(value, expected):
    assert fetch._parse_retry_after(value) == expected


def test_refused_connection_is_a_transient_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch_url(f"http://127.0.0.1:{port}/", allow_hosts=LOCAL)
    assert type(caught.value) is FetchError
    assert caught.value.transient is True
    assert "cannot connect" in str(caught.value)


def test_garbage_instead_of_http_is_an_error(server):
    from testing.http_servers import RawResponse

    server.routes["/junk"] = RawResponse(chunks=[b"\x00\x01 this is not HTTP\r\n\r\n"])
    with pytest.raises(FetchError):
        fetch_url(server.url("/junk"), allow_hosts=LOCAL)


# ------------------------------------------------------------------------- to a file


def test_fetch_to_file(server, tmp_path):
    server.routes["/audio.mp3"] = Response(body=b"ID3" + b"\x00" * 5000, content_type="audio/mpeg")
    target = tmp_path / "audio.mp3"
    result = fetch_to_file(server.url("/audio.mp3"), target, max_bytes=MiB, allow_hosts=LOCAL)
    assert result.content == b""
    assert result.content_type == "audio/mpeg"
    assert target.read_bytes() == b"ID3" + b"\x00" * 5000
    assert list(tmp_path.iterdir()) == [target]


def test_fetch_to_file_leaves_nothing_when_too_large(server, tmp_path):
    server.routes["/big"] = huge_body(50 * MiB, declare_length=False)
    target = tmp_path / "audio.mp3"
    with pytest.raises(FetchTooLarge):
        fetch_to_file(server.url("/big"), target, max_bytes=MiB, allow_hosts=LOCAL)
    assert list(tmp_path.iterdir()) == []


def test_fetch_to_file_keeps_the_old_file_on_304(server, tmp_path):
    server.routes["/feed.xml"] = conditional()
    target = tmp_path / "feed.xml"
    target.write_bytes(b"previous")
    result = fetch_to_file(
        server.url("/feed.xml"), target, max_bytes=MiB, allow_hosts=LOCAL, etag='"v1"'
    )
    assert result.not_modified is True
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]


def test_fetch_to_file_refuses_like_fetch_url(tmp_path, monkeypatch):
    _local_connect_spy(monkeypatch)
    with pytest.raises(FetchRefused):
        fetch_to_file("http://169.254.169.254/", tmp_path / "x", max_bytes=MiB)
    assert list(tmp_path.iterdir()) == []


def test_gzip_body_in_file_is_decoded(server, tmp_path):
    server.routes["/t.vtt"] = Response(
        body=gzip.compress(b"WEBVTT\n"), headers={"Content-Encoding": "gzip"}
    )
    target = tmp_path / "t.vtt"
    fetch_to_file(server.url("/t.vtt"), target, max_bytes=MiB, allow_hosts=LOCAL)
    assert target.read_bytes() == b"WEBVTT\n"


# ------------------------------------------------------------------------- HTTPS


@pytest.fixture
def tls_files(tmp_path, monkeypatch):
    files = self_signed_cert(tmp_path)
    if files is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    monkeypatch.setattr(fetch, "_ca_bundle", lambda: str(files[0]))
    return files


def test_https_fetch(tls_files):
    with serve({"/feed.xml": conditional()}, tls=tls_files) as secure:
        result = fetch_url(secure.url("/feed.xml"), allow_hosts=LOCAL)
        assert result.url.startswith("https://")
        assert result.content == SAMPLE_RSS
        again = fetch_url(secure.url("/feed.xml"), allow_hosts=LOCAL, etag=result.etag)
        assert again.not_modified is True


def test_https_with_an_untrusted_certificate_is_refused(tls_files, monkeypatch):
    monkeypatch.setattr(fetch, "_ca_bundle", lambda: None)
    with serve({"/feed.xml": SAMPLE_RSS}, tls=tls_files) as secure:
        with pytest.raises(FetchError, match="TLS error") as caught:
            fetch_url(secure.url("/feed.xml"), allow_hosts=LOCAL)
        assert caught.value.transient is False
        assert secure.hits() == 0


def test_https_peer_check_happens_before_the_handshake(tls_files, monkeypatch):
    with serve({"/feed.xml": SAMPLE_RSS}, tls=tls_files) as secure:
        _local_connect_spy(monkeypatch, port=secure.port)
        with pytest.raises(FetchRefused, match="connected to 127.0.0.1"):
            fetch_url(f"https://{PUBLIC_STAND_IN}:{secure.port}/feed.xml", allow_hosts=[])
        assert secure.hits() == 0


def test_https_to_http_redirect_is_refused_end_to_end(tls_files, server, monkeypatch):
    server.routes["/feed.xml"] = SAMPLE_RSS
    moved = {"/moved": redirect(server.url("/feed.xml"))}
    with (
        serve(moved, tls=tls_files) as secure,
        pytest.raises(FetchRefused, match="https to plain http"),
    ):
        fetch_url(secure.url("/moved"), allow_hosts=LOCAL)
    assert server.hits() == 0


def test_https_trickle_is_cut_at_the_deadline(tls_files):
    with serve({"/slow": trickle(interval=0.5)}, tls=tls_files) as secure:
        with pytest.raises(FetchTimeout, match="took longer than 1 s"):
            fetch_url(secure.url("/slow"), allow_hosts=LOCAL, timeout_total=1.0)
        assert 0 < secure.bytes_sent("/slow") < len(SAMPLE_RSS)


# ------------------------------------------------------------------------- odds and ends


def test_retry_after_is_shared_through_the_django_cache(server):
    server.routes["/busy"] = status(429, retry_after="60")
    with pytest.raises(FetchHTTPError):
        fetch_url(server.url("/busy"), allow_hosts=LOCAL)
    fetch._backoff._until.clear()  # as if another worker process asked
    with pytest.raises(FetchHTTPError, match="retry after"):
        fetch_url(server.url("/busy"), allow_hosts=LOCAL)
    assert server.hits() == 1


def test_unsendable_validators_are_dropped(server):
    server.routes["/echo"] = echo_headers()
    result = fetch_url(server.url("/echo"), allow_hosts=LOCAL, etag='"a"\r\nX-Evil: 1')
    sent = json.loads(result.content)
    assert "if-none-match" not in sent
    assert "x-evil" not in sent


def test_repeated_headers_are_merged(server):
    server.routes["/links"] = Response(
        body=b"ok", headers={"Link": "<a>; rel=first", "link": "<b>; rel=next"}
    )
    result = fetch_url(server.url("/links"), allow_hosts=LOCAL)
    assert result.headers["link"] == "<a>; rel=first, <b>; rel=next"


def test_unknown_host_is_a_clear_error(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError, match="cannot resolve feeds.invalid") as caught:
        fetch_url("https://feeds.invalid/rss")
    assert caught.value.transient is False


def test_errors_are_one_line(server):
    server.routes["/gone"] = Response(status=410, body=b"")
    with pytest.raises(FetchHTTPError) as caught:
        fetch_url(server.url("/gone"), allow_hosts=LOCAL)
    assert "\n" not in str(caught.value)
    assert str(caught.value) == f"HTTP 410 Gone from {server.url('/gone')}"
