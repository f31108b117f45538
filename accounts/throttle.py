"""Login throttling: failed attempts counted in the cache (Redis in production).

After MAX_FAILURES_PER_ACCOUNT failed logins for one e-mail, or MAX_FAILURES_PER_IP from one
address, within WINDOW seconds, every further attempt on that e-mail or from that address is
refused for LOCK_SECONDS, even with the right password. Counters are keyed by the e-mail as
typed, whether or not an account exists, so the lockout reveals nothing about which e-mails
have accounts. Keys are hashed: the cache holds neither e-mails nor addresses in clear.
"""

import hashlib

from django.core.cache import cache

from core.network import ip_throttle_key

WINDOW = 15 * 60
LOCK_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 20


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(*, email: str, ip: str) -> list[tuple[str, str, int]]:
    """(counter key, lock key, threshold) for the account and, when known, the address."""
    keys = []
    account = _digest(email.strip().lower())
    keys.append(
        (f"login:fail:acct:{account}", f"login:lock:acct:{account}", MAX_FAILURES_PER_ACCOUNT)
    )
    network = ip_throttle_key(ip)
    if network:
        digest = _digest(network)
        keys.append((f"login:fail:ip:{digest}", f"login:lock:ip:{digest}", MAX_FAILURES_PER_IP))
    return keys


def login_is_locked(*, email: str, ip: str) -> bool:
    lock_keys = [lock for _, lock, _ in _keys(email=email, ip=ip)]
    return bool(cache.get_many(lock_keys))


def login_failure_record(*, email: str, ip: str) -> bool:
    """Count a failed attempt; True when it is the one that locks the account or the address."""
    locked_now = False
    for counter, lock, threshold in _keys(email=email, ip=ip):
        # add() starts the window only if no counter runs; incr() keeps the counter's expiry
        # (locmem and Redis both do), so the window is fixed from the first failure.
        cache.add(counter, 0, timeout=WINDOW)
        try:
            count = cache.incr(counter)
        except ValueError:  # the counter expired between add() and incr()
            cache.set(counter, 1, timeout=WINDOW)
            count = 1
        if count >= threshold:
            cache.set(lock, True, timeout=LOCK_SECONDS)
            cache.delete(counter)
            locked_now = True
    return locked_now


def login_failures_clear(*, email: str) -> None:
    """Forget an account's failures and lock (after a successful login or password reset).

    The per-address counter is kept: one address trying many accounts is still an attack.
    """
    counter, lock, _ = _keys(email=email, ip="")[0]
    cache.delete_many([counter, lock])


def reset_email_allowed(*, email: str, limit: int) -> bool:
    """Count one reset e-mail for this address; False once `limit` were sent within WINDOW."""
    counter = f"reset:sent:{_digest(email.strip().lower())}"
    cache.add(counter, 0, timeout=WINDOW)
    try:
        return cache.incr(counter) <= limit
    except ValueError:
        cache.set(counter, 1, timeout=WINDOW)
        return True
