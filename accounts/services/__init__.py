"""Writes of the accounts app: sign-up, verification, login, passwords, profile, security log.

Every e-mail goes through emails.services.email_send inside the service's transaction: the
message is stored with the change and sent only once the transaction commits.

E-mails to an address a visitor typed are capped (accounts.throttle.mail_quota_take). The two
requests whose answer must not tell whether an account has the address (password reset, change
of address) do the same work either way: count the request, enqueue one task
(accounts.tasks); the look-up, the token and the rendering happen in that task, after the
response.

One module per subject (common, signup, signup_browser, login, passwords, profile); import
from here.
"""

from accounts.services.common import (
    KNOWN_DEVICE_LOOKBACK,
    REMEMBER_ME_SECONDS,
    EmailTaken,
    MailLimitReached,
    SignupClosed,
    request_origin,
    security_event_record,
    signup_is_open,
)
from accounts.services.login import login_success_record, user_login_complete, user_logout
from accounts.services.passwords import (
    password_reset_link_send,
    user_password_change,
    user_password_reset,
    user_password_reset_request,
)
from accounts.services.profile import (
    email_change_link_send,
    user_email_change_confirm,
    user_email_change_request,
    user_profile_update,
)
from accounts.services.signup import user_signup, user_verify
from accounts.services.signup_browser import signup_browser_login

__all__ = [
    "KNOWN_DEVICE_LOOKBACK",
    "REMEMBER_ME_SECONDS",
    "EmailTaken",
    "MailLimitReached",
    "SignupClosed",
    "email_change_link_send",
    "login_success_record",
    "password_reset_link_send",
    "request_origin",
    "security_event_record",
    "signup_browser_login",
    "signup_is_open",
    "user_email_change_confirm",
    "user_email_change_request",
    "user_login_complete",
    "user_logout",
    "user_password_change",
    "user_password_reset",
    "user_password_reset_request",
    "user_profile_update",
    "user_signup",
    "user_verify",
]
