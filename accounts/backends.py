"""The authentication backend every login form goes through (public site and Wagtail admin)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import throttle
from accounts.models import SecurityEvent, User
from accounts.services import security_event_record
from core.network import client_ip


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend plus the lockout and the security log.

    The lockout lives here rather than in one login view so that no other login form (Wagtail's
    admin login, its private-page login) can be used to go round it. A locked e-mail or address
    is refused before the password is even checked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if request is None:  # shell, management commands: no visitor to throttle or log
            return super().authenticate(request, username=username, password=password, **kwargs)

        ip = client_ip(request)
        if throttle.login_is_locked(email=username, ip=ip):
            # Stops every backend: authenticate() returns None and signals the failure.
            raise PermissionDenied

        user: User | None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            # Hash anyway so an unknown e-mail takes as long to refuse as a wrong password.
            User().set_password(password)
            user = None
        else:
            if user.check_password(password) and self.user_can_authenticate(user):
                throttle.login_failures_clear(email=username)
                return user

        locked_now = throttle.login_failure_record(email=username, ip=ip)
        security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, user=user)
        if locked_now:
            security_event_record(kind=SecurityEvent.Kind.LOCKED_OUT, request=request, user=user)
        return None
