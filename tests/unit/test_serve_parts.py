"""`assessor serve`'s parts that need no server: the address members use, what a tab may send, the log's one line."""

from __future__ import annotations

import logging

import pytest

from assessor.core.errors import CampaignError
from assessor.serve_address import address, base_url, is_wildcard, parse_url
from assessor.serve_session import OneLine, read_message, terminal_size


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("https://Assess.Example.gov.uk:8443", "https://assess.example.gov.uk:8443"),
        ("https://assess.example.gov.uk:443/", "https://assess.example.gov.uk"),  # as a browser writes its Origin
        ("http://10.2.0.14", "http://10.2.0.14"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
    ],
)
def test_the_address_members_use_is_written_as_their_browser_writes_it(given: str, url: str) -> None:
    assert parse_url(given) == url


@pytest.mark.parametrize("given", ["assess.example.gov.uk", "ftp://x", "https://x/assessor", "https://x/?a=1", "https://u:p@x", "https://x:99999"])
def test_an_address_that_is_not_only_a_scheme_host_and_port_is_refused(given: str) -> None:
    with pytest.raises(ValueError):
        parse_url(given)


def test_the_links_name_url_when_given_and_the_host_otherwise() -> None:
    assert address("127.0.0.1", 8000, None, None, None).url == "http://127.0.0.1:8000"
    proxied = address("127.0.0.1", 8000, "https://assess.example.gov.uk", None, None)  # TLS ends at the proxy
    assert (proxied.url, proxied.tls, proxied.websocket_scheme) == ("https://assess.example.gov.uk", None, "wss")
    assert proxied.origins() == {"https://assess.example.gov.uk"}
    assert "http://localhost:8000" in address("127.0.0.1", 8000, None, None, None).origins()
    assert all(is_wildcard(host) for host in ("0.0.0.0", "::", "[::]")) and not is_wildcard("127.0.0.1")
    assert base_url("::1", 443, "https") == "https://[::1]"


def test_a_wildcard_host_needs_url_and_listening_beyond_loopback_needs_tls() -> None:
    with pytest.raises(CampaignError) as wildcard:
        address("0.0.0.0", 8443, None, "c.pem", "k.pem")
    assert "give --url" in wildcard.value.first_line and wildcard.value.first_line.startswith("0.0.0.0:8443: --host:")
    with pytest.raises(CampaignError) as plain:
        address("0.0.0.0", 8443, "https://assess.example.gov.uk:8443", None, None)
    assert "needs --certfile and --keyfile" in plain.value.first_line


@pytest.mark.parametrize(
    "text",
    ["hello{", "5", '{"a":1}', "[]", "[5]", '["stdin", 5]', '["resize", {"width": "x", "height": 3}]', '["resize", {"width": true, "height": 3}]'],
)
def test_what_a_tab_should_not_send_is_named_not_raised(text: str) -> None:
    assert isinstance(read_message(text), str)


def test_what_a_page_sends_is_read() -> None:
    assert read_message('["stdin", "a"]') == ("stdin", "a")
    assert read_message('["resize", {"width": 140, "height": 45}]') == ("resize", {"width": 140, "height": 45})
    assert read_message('["focus"]') == ("focus", None)
    assert terminal_size(99999999, -4) == (1000, 1) and terminal_size("x", None) == (80, 24)


def test_a_log_record_is_one_line_without_a_traceback_or_a_key() -> None:
    try:
        raise ValueError("Got more than 8190 bytes: /?key=EGM9GXMDptWsbelpQzmZOQAAAA\nand more")
    except ValueError as exc:
        record = logging.LogRecord(
            "aiohttp.server", logging.ERROR, __file__, 1, "Error handling request from %s", ("10.2.0.31",), (ValueError, exc, None)
        )
    line = OneLine().format(record)
    assert line == "assessor: refused a request from 10.2.0.31: ValueError: Got more than 8190 bytes: /?key=… and more"
