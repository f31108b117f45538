"""Throttling in the cache (Redis in production): failed logins, and e-mails asked for.

After MAX_FAILURES_PER_ACCOUNT failed logins for one e-mail, or MAX_FAILURES_PER_IP from one
address, within WINDOW seconds, every further attempt on that e-mail or from that address is
refused for LOCK_SECONDS, even with the right password. Counters are keyed by the e-mail as
typed (lower-cased), whether or not an account exists, so the lockout reveals nothing about
which e-mails have accounts. Keys are hashed: the cache holds neither e-mails nor addresses in
clear. The e-mail quotas (mail_quota_take) are described further down.
"""

from django.core.cache import cache

from core.counters import counter_key, window_counter_incr
from core.network import ip_throttle_key

WINDOW = 15 * 60
LOCK_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 20


def _digest(value: str) -> str:
    return counter_key("", value)


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
        # The window is fixed from the first failure.
        count = window_counter_incr(counter, window=WINDOW)
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


# E-mails a visitor can make the site send to an address they typed (sign-up, password reset,
# change of address). Without a cap, the forms would mail any inbox as often as asked. Counted
# per target address (whatever the flow, so alternating forms gains nothing), per network of
# the requester (one IPv4 address or one IPv6 /64, as for logins), and for a change of address
# per account too. Every request counts, whether or not an account has the address, and before
# anything is looked up: reaching a limit therefore says nothing about which addresses have
# accounts, and the form may say so plainly.
MAIL_WINDOW = 60 * 60
MAX_MAILS_PER_ADDRESS = 5
MAX_MAILS_PER_NETWORK = 20
MAX_EMAIL_CHANGES_PER_ACCOUNT = 5


class MailLimit:
    """Which cap a request hit (the code carried by services.MailLimitReached)."""

    ADDRESS = "address"
    NETWORK = "network"
    ACCOUNT = "account"


def _mail_counters(*, to: str, ip: str, account: int | None) -> list[tuple[str, str, int]]:
    """(limit, counter key, threshold) of every cap that applies to this request."""
    counters = [
        (MailLimit.ADDRESS, f"mail:to:{_digest(to.strip().lower())}", MAX_MAILS_PER_ADDRESS)
    ]
    network = ip_throttle_key(ip)
    if network:
        counters.append((MailLimit.NETWORK, f"mail:ip:{_digest(network)}", MAX_MAILS_PER_NETWORK))
    if account is not None:
        counters.append((MailLimit.ACCOUNT, f"mail:acct:{account}", MAX_EMAIL_CHANGES_PER_ACCOUNT))
    return counters


def mail_quota_take(*, to: str, ip: str, account: int | None = None) -> str | None:
    """Count one e-mail request; returns the MailLimit reached (nothing counted), or None.

    A refused request counts nothing: someone hammering the form from one network does not use
    up the quota of the address they aim at any further.
    """
    counters = _mail_counters(to=to, ip=ip, account=account)
    current = cache.get_many([key for _, key, _ in counters])
    for limit, key, threshold in counters:
        if current.get(key, 0) >= threshold:
            return limit
    reached = None
    for limit, key, threshold in counters:
        count = window_counter_incr(key, window=MAIL_WINDOW)
        # Two requests that read the same count at once: the later one is refused here.
        if count > threshold and reached is None:
            reached = limit
    return reached
