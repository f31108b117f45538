"""Fixed-window counters in the cache (Redis in production), for every limit the site keeps:
failed logins, e-mails asked for, slots held. Keys are digests: the cache holds neither
e-mail addresses nor IP addresses in clear."""

import hashlib

from django.core.cache import cache


def counter_key(prefix: str, value: str) -> str:
    """`prefix` followed by a digest of `value` (an address, a network)."""
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:32]


def window_counter_incr(key: str, *, window: int) -> int:
    """Count one more event under `key` and return the count within the current window.

    add() starts the window only if no counter runs; incr() keeps the counter's expiry (locmem
    and Redis both do), so the window is fixed from the first event.
    """
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1
