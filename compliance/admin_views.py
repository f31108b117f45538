"""Staff evidence exports: the ledger for one user or one version, as CSV."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from compliance import selectors
from compliance.models import PolicyVersion
from compliance.views.consents import CSV_HEADER, _cell, acceptance_csv_row, csv_response


def ledger_export(request):
    """`?version=<id>` or `?user=<e-mail>`: every acceptance of that version or by that person.

    Reached through the admin URLs, so Wagtail already requires an admin login; the ledger is
    personal data, so the "view acceptance" permission (DPO, staff in charge) is checked too.
    """
    if not request.user.has_perm("compliance.view_acceptance"):
        raise PermissionDenied
    version_id = request.GET.get("version", "").strip()
    email = request.GET.get("user", "").strip()
    if not version_id and not email:
        return render(request, "compliance/admin/ledger_export.html", {})
    if version_id:
        version = (
            PolicyVersion.objects.filter(pk=version_id).first() if version_id.isdigit() else None
        )
        if version is None:
            return _bad_request(request, _("Cette version n'existe pas."))
        acceptances = selectors.acceptances_for_export(version=version)
        filename = f"registre-{version.kind}-v{version.number}.csv"
    else:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            return _bad_request(request, _("Aucun compte n'a cette adresse e-mail."))
        acceptances = selectors.acceptances_for_export(user=user)
        filename = f"registre-utilisateur-{user.pk}.csv"
    response, writer = csv_response(filename)
    writer.writerow(["utilisateur", "email_sans_compte", *CSV_HEADER])
    for acceptance in acceptances:
        who = acceptance.user.email if acceptance.user is not None else ""
        writer.writerow([_cell(who), _cell(acceptance.email), *acceptance_csv_row(acceptance)])
    return response


def _bad_request(request, error: str) -> HttpResponse:
    return render(request, "compliance/admin/ledger_export.html", {"error": error}, status=400)
