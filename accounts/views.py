"""Pages of /compte/: thin views over accounts.services."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from accounts import services, throttle, tokens
from accounts.forms import LoginForm, PasswordResetRequestForm, ProfileForm, SignupForm
from accounts.models import User
from core.network import client_ip
from core.redirects import safe_next_url
from core.second_factor import login_pending_start

GET_POST = require_http_methods(["GET", "POST"])


def _member(request: HttpRequest) -> User:
    """The signed-in account of a view behind @login_required."""
    assert isinstance(request.user, User)
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")


def _mail_limit_message(code: str) -> str:
    """What a visitor over an e-mail quota reads (the quota counts every request, so saying
    which one was reached tells nothing about accounts)."""
    minutes = throttle.MAIL_WINDOW // 60
    if code == throttle.MailLimit.NETWORK:
        text = _(
            "Trop de demandes d'e-mail depuis votre connexion. Patientez au plus %(minutes)s "
            "minutes avant de réessayer."
        )
    elif code == throttle.MailLimit.ACCOUNT:
        text = _(
            "Vous avez demandé trop de changements d'adresse. Patientez au plus %(minutes)s "
            "minutes avant de réessayer."
        )
    else:
        text = _(
            "Trop d'e-mails ont été demandés pour cette adresse. Patientez au plus %(minutes)s "
            "minutes avant de réessayer."
        )
    return text % {"minutes": minutes}


def _signup_closed(request: HttpRequest) -> HttpResponse:
    # 503: the operator has to publish the terms and the policy before anyone can join.
    return render(request, "accounts/signup_closed.html", status=503)


@GET_POST
@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    if not services.signup_is_open():
        return _signup_closed(request)
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_signup(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                request=request,
                next_url=safe_next_url(request),
            )
        except services.SignupClosed:
            return _signup_closed(request)
        except services.MailLimitReached as refusal:
            form.add_error(None, _mail_limit_message(refusal.code))
            status = 429
        else:
            # The same page whether the address was new or not.
            return redirect("accounts:signup_done")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": safe_next_url(request)},
        status=status,
    )


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/signup_done.html", {"expires_hours": tokens.LINK_MAX_AGE_HOURS}
    )


def _link_invalid(request: HttpRequest, *, kind: str) -> HttpResponse:
    return render(request, "accounts/link_invalid.html", {"kind": kind}, status=400)


@GET_POST
@csrf_protect
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST activates: mail scanners that fetch links activate nothing."""
    verification = tokens.verification_token_read(token)
    if verification is None:
        return _link_invalid(request, kind="verification")
    if request.method == "POST":
        user = services.user_verify(user=verification.user, request=request)
        # Checked again (it was at sign-up): a redirect is only followed after this one check.
        # Links sent before the destination moved into the token carry it as ?next=.
        next_url = safe_next_url(request, verification.next_url or None)
        if services.signup_browser_login(request=request, user=user, token=token):
            # The browser that signed up goes on where it was going (the held slot's
            # confirmation); 303: the page that follows is fetched with GET.
            return HttpResponseRedirect(next_url or reverse("accounts:home"), status=303)
        return render(request, "accounts/verify_done.html", {"next": next_url})
    return render(request, "accounts/verify.html", {"verified_user": verification.user})


@GET_POST
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request)
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(next_url or reverse("accounts:home"))
    form = LoginForm(request.POST or None)
    locked = False
    if request.method == "POST" and form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        remember = form.cleaned_data["remember"]
        if throttle.login_is_locked(email=email, ip=client_ip(request)):
            locked = True
        else:
            user = authenticate(request, email=email, password=password)
            if user is None:
                # One message for an unknown e-mail, a wrong password and an inactive account.
                form.add_error(
                    None,
                    _(
                        "Adresse e-mail ou mot de passe incorrect, ou compte pas encore "
                        "activé (suivez le lien reçu par e-mail après l'inscription)."
                    ),
                )
            elif user_has_device(user, confirmed=True):
                login_pending_start(
                    request=request, user=user, remember=remember, next_url=next_url
                )
                return redirect("twofactor:login_verify")
            else:
                services.user_login_complete(request=request, user=user, remember=remember)
                return HttpResponseRedirect(next_url or reverse("accounts:home"))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": next_url,
            "locked": locked,
            "lock_minutes": throttle.LOCK_SECONDS // 60,
        },
        status=429 if locked else 200,
    )


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    services.user_logout(request=request)
    return redirect("/")


@GET_POST
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(
            request=request, user=user, password=form.cleaned_data["new_password1"]
        )
        return redirect("accounts:password_change_done")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_change_done.html")


@GET_POST
@csrf_protect
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset_request(email=form.cleaned_data["email"], request=request)
        except services.MailLimitReached as refusal:
            form.add_error(None, _mail_limit_message(refusal.code))
            status = 429
        else:
            # Whether or not an account has this address.
            return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirm(PasswordResetConfirmView):
    """Django's view: it checks the token, then moves it from the URL into the session (so the
    token does not leak through the Referer header) before the form is shown."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        services.user_password_reset(
            request=self.request, user=form.user, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


@GET_POST
@csrf_protect
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.email_changed:
            # Asked first: over the quota, the form comes back with nothing saved.
            try:
                services.user_email_change_request(
                    request=request, user=user, new_email=data["email"]
                )
            except services.MailLimitReached as refusal:
                form.add_error("email", _mail_limit_message(refusal.code))
                return render(request, "accounts/profile.html", {"form": form}, status=429)
        services.user_profile_update(
            user=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
        )
        if form.email_changed:
            messages.success(
                request,
                _(
                    "Modifications enregistrées. Nous avons envoyé un lien de confirmation à "
                    "%(email)s : votre adresse changera quand vous l'aurez suivi (il est valable "
                    "%(hours)s heures)."
                )
                % {"email": data["email"], "hours": tokens.LINK_MAX_AGE_HOURS},
            )
        else:
            messages.success(request, _("Modifications enregistrées."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@GET_POST
@csrf_protect
@never_cache
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    change = tokens.email_change_token_read(token)
    if change is None:
        return _link_invalid(request, kind="email")
    if request.method == "POST":
        try:
            services.user_email_change_confirm(
                request=request, user=change.user, new_email=change.new_email
            )
        except services.EmailTaken:
            return render(request, "accounts/email_taken.html", status=409)
        return render(request, "accounts/email_confirm_done.html", {"new_email": change.new_email})
    return render(request, "accounts/email_confirm.html", {"new_email": change.new_email})
