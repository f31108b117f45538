"""The signed-in user's side: the re-acceptance gate, the notice, and their consent history."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.models import OperatorSettings
from compliance import selectors, services
from compliance.models import Acceptance, AcceptanceContext, PolicyVersion
from core.redirects import safe_next_url
from core.users import signed_in_user

if TYPE_CHECKING:
    from _csv import Writer  # what csv.writer returns (the type is not exported by csv)

    from core.users import AuthUser

GATE_BUTTON = "J'accepte"


def _posted_versions(request: HttpRequest) -> list[PolicyVersion] | None:
    """The versions named in the form, or None when the form was tampered with."""
    raw = request.POST.getlist("version")
    if not raw or len(raw) > 10 or not all(value.isdigit() and len(value) < 12 for value in raw):
        return None
    versions = list(PolicyVersion.objects.filter(pk__in=raw).defer("html"))
    return versions if len(versions) == len(set(raw)) else None


def _gate_sections(user: AuthUser) -> list[dict]:
    """For each document to accept again: its version in force and the summaries leading to it."""
    pending = selectors.user_pending_material_versions(user)
    sections = []
    for kind in dict.fromkeys(version.kind for version in pending):
        in_force = selectors.policy_version_in_force(kind)
        if in_force is None:
            continue
        accepted = (
            selectors.user_acceptances(user)
            .filter(version__kind=kind)
            .order_by("-version__number")
            .values_list("version__number", flat=True)
            .first()
            or 0
        )
        changes = PolicyVersion.objects.filter(
            kind=kind, number__gt=accepted, number__lte=in_force.number
        ).order_by("number")
        sections.append({"version": in_force, "changes": list(changes.defer("html"))})
    return sections


@login_required
def reacceptance(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request.user)
    next_url = safe_next_url(request) or "/"
    error = None
    status = 200
    if request.method == "POST":
        versions = _posted_versions(request)
        if versions is None:
            error, status = _("Le formulaire est incomplet : rechargez la page et réessayez."), 400
        else:
            try:
                services.policy_versions_accept(
                    user=user,
                    versions=versions,
                    context=AcceptanceContext.REACCEPTANCE,
                    wording=GATE_BUTTON,
                )
            except services.VersionNotInForce:
                error = _("Une nouvelle version vient d'entrer en vigueur : lisez-la ci-dessous.")
                status = 409
            else:
                if not selectors.user_pending_versions(user).gated:
                    messages.success(request, _("Merci, votre acceptation est enregistrée."))
                    return HttpResponseRedirect(next_url, status=303)
                error, status = _("Il reste un document à accepter."), 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})

    sections = _gate_sections(user)
    if not sections and request.method != "POST":
        return HttpResponseRedirect(next_url)
    operator = OperatorSettings.for_request(request)
    subject = quote("Demande de suppression de mon compte et de mes données")
    context = {
        "sections": sections,
        "next_url": next_url,
        "error": error,
        "operator": operator,
        "deletion_mailto": f"mailto:{operator.dpo_email}?subject={subject}"
        if operator.dpo_email
        else "",
        "button_label": GATE_BUTTON,
    }
    return render(request, "compliance/reacceptance.html", context, status=status)


@login_required
@require_POST
def notice_dismiss(request: HttpRequest) -> HttpResponse:
    """ "J'ai compris" under a minor change: recorded as an acceptance, the strongest evidence."""
    next_url = safe_next_url(request) or "/"
    versions = _posted_versions(request)
    if versions is None:
        return HttpResponse(_("Version inconnue."), status=400, content_type="text/plain")
    try:
        services.policy_versions_accept(
            user=signed_in_user(request.user),
            versions=versions,
            context=AcceptanceContext.REACCEPTANCE,
            wording=services.NOTICE_WORDING,
        )
    except services.VersionNotInForce:
        return HttpResponseRedirect(next_url, status=303)  # the banner shows the newer one
    return HttpResponseRedirect(next_url, status=303)


@login_required
def consent_history(request: HttpRequest) -> HttpResponse:
    acceptances = list(selectors.user_acceptances(signed_in_user(request.user)))
    return render(request, "compliance/consent_history.html", {"acceptances": acceptances})


CSV_HEADER = [
    "acceptee_le",
    "document",
    "version",
    "titre",
    "en_vigueur_le",
    "empreinte_sha256",
    "contexte",
    "formulation",
]


def _cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheet software (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def acceptance_csv_row(acceptance: Acceptance) -> list[str]:
    version = acceptance.version
    return [
        _cell(value)
        for value in [
            timezone.localtime(acceptance.accepted_at).isoformat(),
            version.kind,
            str(version.number),
            version.title,
            timezone.localtime(version.effective_at).isoformat(),
            version.sha256,
            acceptance.context,
            acceptance.wording,
        ]
    ]


def csv_response(filename: str) -> tuple[HttpResponse, Writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet software reads the accents right
    return response, csv.writer(response)


@login_required
def consent_history_csv(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request.user)
    response, writer = csv_response("mes-consentements.csv")
    writer.writerow(CSV_HEADER)
    for acceptance in selectors.user_acceptances(user):
        writer.writerow(acceptance_csv_row(acceptance))
    return response
