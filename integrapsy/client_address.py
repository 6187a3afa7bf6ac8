"""The client's address behind the trusted proxies: one answer for lockouts and the audit log."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def valid_ip(value: str) -> str | None:
    """``value`` as a plain IPv4 or IPv6 address (normalised), or None.

    Ports (``1.2.3.4:5555``), brackets (``[::1]``), zone ids (``fe80::1%eth0``), names
    (``unknown``) and out-of-range numbers (``999.1.1.1``) are refused: the audit log and
    django-axes store the address in an ``inet`` column on PostgreSQL, which refuses them too.
    """
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return None
        if address.ipv4_mapped:
            address = address.ipv4_mapped
    return str(address)


def client_address(request) -> str | None:
    """The client's address, or None when it cannot be trusted or is malformed.

    Each of the ``PROXY_COUNT`` proxies in front of the app appends the address it received
    the request from to ``X-Forwarded-For``; whatever comes before was written by the client
    and proves nothing. So the client is the ``PROXY_COUNT``-th hop from the right. Without the
    header (a request that did not come through the proxy, e.g. a health check) or with no
    proxy configured, it is the address of the connection.
    """
    if request is None:
        return None
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies > 0 and forwarded is not None:
        hops = forwarded.split(",")
        if len(hops) < proxies:
            return None
        return valid_ip(hops[-proxies])
    return valid_ip(request.META.get("REMOTE_ADDR") or "")
