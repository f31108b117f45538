"""Screens of two-factor authentication: enrol an authenticator, backup codes, login's 2nd step."""

from base64 import b32encode
from functools import wraps

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.services import security_event_record, user_login_complete
from core import second_factor
from core.redirects import safe_next_url
from twofactor import services
from twofactor.forms import DeviceRemoveForm, LoginCodeForm, TOTPConfirmForm
from twofactor.qr import qr_svg


def _verified_if_enrolled(view):
    """Once a user has a device, changing their devices needs a session opened with a code.

    A session opened with the password alone may only enrol a first device: that is how the
    admin's first login gets its mandatory second factor.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if second_factor.user_is_enrolled(request.user) and not request.user.is_verified():
            raise PermissionDenied(_("Reconnectez-vous avec votre code pour modifier ce réglage."))
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@login_required
def overview(request):
    user = request.user
    context = {
        "devices": TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"),
        "backup_codes_left": StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
        "enrolled": second_factor.user_is_enrolled(user),
        "can_manage": not second_factor.user_is_enrolled(user) or user.is_verified(),
    }
    return render(request, "twofactor/overview.html", context)


@never_cache
@login_required
@_verified_if_enrolled
def totp_add(request):
    next_url = safe_next_url(request)
    device = services.totp_device_start(user=request.user)
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except services.CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            # The code just typed proves the second factor: this session is verified.
            django_otp.login(request, TOTPDevice.objects.get(pk=device.pk))
            messages.success(request, _("La double authentification est activée."))
            if codes:
                request.session[services.NEW_BACKUP_CODES_SESSION_KEY] = codes
                url = reverse("twofactor:backup_codes")
                return redirect(f"{url}?next={next_url}" if next_url else url)
            return redirect(next_url or "twofactor:overview")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": qr_svg(device.config_url, label=_("QR code à scanner avec votre application")),
        # Grouped by four characters, as authenticator apps display and accept it.
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "twofactor/totp_add.html", context)


@never_cache
@login_required
def backup_codes(request):
    # Shown once: the codes leave the session as they are displayed.
    codes = request.session.pop(services.NEW_BACKUP_CODES_SESSION_KEY, None)
    context = {
        "codes": [f"{code[:4]}-{code[4:]}" for code in codes or []],
        "next": safe_next_url(request, request.GET.get("next") or ""),
        "left": StaticToken.objects.filter(
            device__user=request.user, device__confirmed=True
        ).count(),
        "enrolled": second_factor.user_is_enrolled(request.user),
    }
    return render(request, "twofactor/backup_codes.html", context)


@never_cache
@require_POST
@login_required
@_verified_if_enrolled
def backup_codes_regenerate(request):
    if not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        messages.error(request, _("Ajoutez d'abord une application d'authentification."))
        return redirect("twofactor:overview")
    codes = services.backup_codes_regenerate(user=request.user)
    request.session[services.NEW_BACKUP_CODES_SESSION_KEY] = codes
    return redirect("twofactor:backup_codes")


@never_cache
@login_required
@_verified_if_enrolled
def device_remove(request, pk: int):
    device = get_object_or_404(TOTPDevice, pk=pk, user=request.user, confirmed=True)
    form = DeviceRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["code"]
        proven = request.user.check_password(secret)
        if not proven:
            try:
                services.code_verify(user=request.user, code=secret)
                proven = True
            except services.CodeRefused as refusal:
                form.add_error("code", refusal.message)
        if proven:
            services.device_remove(user=request.user, device=device)
            messages.success(request, _("L'application d'authentification a été retirée."))
            return redirect("twofactor:overview")
    return render(request, "twofactor/device_remove.html", {"form": form, "device": device})


@never_cache
def login_verify(request):
    pending = second_factor.login_pending_get(request)
    user = None
    if pending is not None:
        user = get_user_model().objects.filter(pk=pending.user_id, is_active=True).first()
    if pending is None or user is None:
        second_factor.login_pending_clear(request)
        messages.error(
            request, _("Votre connexion a expiré : saisissez de nouveau votre mot de passe.")
        )
        return redirect(settings.LOGIN_URL)

    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.code_verify(user=user, code=form.cleaned_data["code"])
        except services.CodeRefused as refusal:
            security_event_record(kind=SecurityEvent.Kind.OTP_FAILED, request=request, user=user)
            if second_factor.login_pending_failure(request):
                messages.error(
                    request,
                    _("Trop de codes erronés : saisissez de nouveau votre mot de passe."),
                )
                return redirect(settings.LOGIN_URL)
            form.add_error("code", refusal.message)
        else:
            second_factor.login_pending_clear(request)
            user_login_complete(request=request, user=user, remember=pending.remember)
            django_otp.login(request, device)
            return redirect(
                safe_next_url(request, pending.next_url or "") or reverse("accounts:home")
            )
    return render(request, "twofactor/login_verify.html", {"form": form})
