"""Where a request comes from, reduced to what the security features need."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's IP address, or "" when it cannot be told.

    Behind TRUSTED_PROXY_COUNT reverse proxies (load balancer, nginx), REMOTE_ADDR is the last
    proxy: the client is then the address that many hops from the right of X-Forwarded-For.
    Entries further left are written by the client itself and cannot be trusted.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""


def ip_prefix(ip: str) -> str:
    """The network an address belongs to: /24 for IPv4, /48 for IPv6 (what the log keeps)."""
    return _network(ip, v4=24, v6=48)


def ip_throttle_key(ip: str) -> str:
    """What the per-address login counter counts: one IPv4 address, or one IPv6 /64.

    An IPv6 subscriber usually holds a whole /64, so counting single IPv6 addresses would give
    an attacker billions of fresh counters.
    """
    return _network(ip, v4=32, v6=64)


def _network(ip: str, *, v4: int, v6: int) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    length = v4 if address.version == 4 else v6
    return str(ipaddress.ip_network(f"{address}/{length}", strict=False))


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:200]
