"""Session lifetime for signed-in people, and no caching of what they see.

- Idle timeout: IDLE_TIMEOUT (2 hours) without a request ends the session.
- Absolute timeout: ABSOLUTE_TIMEOUT (12 hours) after the login the session ends, however
  active it is, so a stolen session cookie does not live for ever.
- "Remember me" (unchecked by default) keeps the session when the browser closes, for
  REMEMBERED_TIMEOUT (30 days) from the login; it then counts as both the idle and the absolute
  limit: a member who asked to be remembered would not understand being logged out after
  2 idle hours. Unchecked, the cookie is a browser-session cookie (set_expiry(0)).
- Every response to a signed-in person carries Cache-Control: no-store (with Django's
  add_never_cache_headers), so no shared or browser cache keeps their pages.

The stamps live in the session itself (DB-backed), written by user_login_complete; a session
that was opened elsewhere (Wagtail's admin login) is stamped on its first request here. The
last-seen stamp is rewritten at most once a minute, not on every request.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils.cache import add_never_cache_headers

IDLE_TIMEOUT = 2 * 3600
ABSOLUTE_TIMEOUT = 12 * 3600
REMEMBERED_TIMEOUT = 30 * 24 * 3600
_TOUCH_EVERY = 60

LOGIN_AT = "accounts_login_at"
LAST_SEEN = "accounts_last_seen"
REMEMBERED = "accounts_remembered"


def session_login_stamp(request: HttpRequest, *, remembered: bool) -> None:
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[REMEMBERED] = bool(remembered)


def session_has_expired(request: HttpRequest, now: int) -> bool:
    session = request.session
    login_at = session[LOGIN_AT]
    last_seen = session.get(LAST_SEEN, login_at)
    if session.get(REMEMBERED):
        return now - login_at > REMEMBERED_TIMEOUT
    return now - last_seen > IDLE_TIMEOUT or now - login_at > ABSOLUTE_TIMEOUT


class SignedInSessionMiddleware:
    """Ends sessions past their idle or absolute timeout; no-store on signed-in responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = False
        # Without a session cookie nobody is signed in: skip the session lookup, which would
        # also add "Vary: Cookie" to every anonymous page.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            if LOGIN_AT not in request.session:
                session_login_stamp(request, remembered=False)
                signed_in = True
            elif session_has_expired(request, now):
                logout(request)
            else:
                signed_in = True
                if now - request.session.get(LAST_SEEN, 0) >= _TOUCH_EVERY:
                    request.session[LAST_SEEN] = now

        response = self.get_response(request)

        # A login during this request modified the session; reading the user only then keeps
        # anonymous responses free of session access.
        logged_in_now = request.session.modified and request.user.is_authenticated
        if signed_in or logged_in_now:
            add_never_cache_headers(response)
        return response
