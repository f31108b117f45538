"""What the security log and the lockout keep of an address."""

import pytest
from django.test import RequestFactory, override_settings

from core.network import client_ip, ip_prefix, ip_throttle_key


@pytest.mark.parametrize(
    "ip, prefix",
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.4", "198.51.100.0/24"),
        ("", ""),
        ("not an address", ""),
    ],
)
def test_log_keeps_only_the_network(ip, prefix):
    assert ip_prefix(ip) == prefix


def test_lockout_counts_ipv6_by_subscriber_network():
    assert ip_throttle_key("2001:db8:1:2:aaaa::1") == ip_throttle_key("2001:db8:1:2:bbbb::9")
    assert ip_throttle_key("2001:db8:1:3::1") != ip_throttle_key("2001:db8:1:2::1")
    assert ip_throttle_key("203.0.113.1") != ip_throttle_key("203.0.113.2")


def test_client_address_is_remote_addr_without_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.0.0.5"  # a client cannot choose its address


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_last_forwarded_address():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"  # "1.2.3.4" was written by the client


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_garbage_forwarded_header_gives_no_address():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(request) == ""
