"""Reads of the compliance app: versions in force, what a user still has to accept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from compliance.models import Acceptance, DocumentKind, PolicyVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from core.users import AuthUser

# Where request_pending_versions keeps its answer on the request (computed once per request).
_PENDING_CACHE_ATTRIBUTE = "_pending_policy_versions"


def policy_version_in_force(kind: str, *, now: datetime | None = None) -> PolicyVersion | None:
    """The newest version of `kind` whose effective date has come, or None."""
    return (
        PolicyVersion.objects.filter(kind=kind, effective_at__lte=now or timezone.now())
        .order_by("-number")
        .first()
    )


def policy_versions_in_force(*, now: datetime | None = None) -> dict[str, PolicyVersion]:
    """The version in force of each document that has one, by kind."""
    versions: dict[str, PolicyVersion] = {}
    for kind in DocumentKind.values:
        version = policy_version_in_force(kind, now=now)
        if version is not None:
            versions[kind] = version
    return versions


def policy_versions_list(kind: str) -> QuerySet[PolicyVersion]:
    """Every version of `kind`, newest first (upcoming ones included: callers split them)."""
    return PolicyVersion.objects.filter(kind=kind).order_by("-number").defer("html")


def policy_version_get(kind: str, number: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(kind=kind, number=number).first()


def policy_versions_with_counts() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.annotate(acceptance_count=Count("acceptances"))


def user_acceptances(user: AuthUser) -> QuerySet[Acceptance]:
    """The user's acceptances, newest first, with their versions."""
    return (
        Acceptance.objects.filter(user=user)
        .select_related("version")
        .defer("version__html")
        .order_by("-accepted_at", "-pk")
    )


@dataclass(frozen=True)
class PendingVersions:
    """What a signed-in user still has to accept, by version id.

    `material`: versions in force (or superseded) flagged as a material change, newer than
    anything the user accepted of that document: they gate the user. `notices`: the version in
    force of a document the user has not accepted, when no material change is pending for it:
    a dismissible notice.
    """

    material: tuple[int, ...] = ()
    notices: tuple[int, ...] = ()
    in_force: dict[str, int] = field(default_factory=dict)

    @property
    def gated(self) -> bool:
        return bool(self.material)


def user_pending_versions(
    user: AuthUser | AnonymousUser | None, *, now: datetime | None = None
) -> PendingVersions:
    """Two small queries: versions whose date has come, and the user's newest acceptance per kind.

    Accepting a version covers the versions before it: a user who accepted v3 is not asked about
    v2. Version 1 is always material (see services.policy_version_publish), so a user who never
    accepted anything is asked to accept the documents in force.
    """
    if user is None or not user.is_authenticated:
        return PendingVersions()
    rows = list(
        PolicyVersion.objects.filter(effective_at__lte=now or timezone.now())
        .order_by("kind", "number")
        .values_list("pk", "kind", "number", "is_material")
    )
    if not rows:
        return PendingVersions()
    accepted = dict(
        Acceptance.objects.filter(user=user)
        .values("version__kind")
        .annotate(newest=Max("version__number"))
        .values_list("version__kind", "newest")
    )
    in_force: dict[str, tuple[int, int]] = {}
    material: list[int] = []
    for pk, kind, number, is_material in rows:
        in_force[kind] = (pk, number)  # rows are ordered by number: the last one wins
        if is_material and number > accepted.get(kind, 0):
            material.append(pk)
    material_kinds = {kind for pk, kind, *_ in rows if pk in material}
    notices = [
        pk
        for kind, (pk, number) in in_force.items()
        if kind not in material_kinds and number > accepted.get(kind, 0)
    ]
    return PendingVersions(
        material=tuple(material),
        notices=tuple(notices),
        in_force={kind: pk for kind, (pk, _) in in_force.items()},
    )


def user_pending_material_versions(
    user: AuthUser | AnonymousUser | None, *, now: datetime | None = None
) -> list[PolicyVersion]:
    """The material versions that gate `user`, oldest first, kind by kind."""
    pending = user_pending_versions(user, now=now)
    return list(PolicyVersion.objects.filter(pk__in=pending.material).order_by("kind", "number"))


def request_pending_versions(request: HttpRequest) -> PendingVersions:
    """user_pending_versions for the request's user, computed once per request.

    A request that did not go through the authentication middleware has no user: nothing is
    pending for it.
    """
    cached = getattr(request, _PENDING_CACHE_ATTRIBUTE, None)
    if not isinstance(cached, PendingVersions):
        cached = user_pending_versions(getattr(request, "user", None))
        setattr(request, _PENDING_CACHE_ATTRIBUTE, cached)
    return cached


def acceptances_for_export(
    *, user: AuthUser | None = None, version: PolicyVersion | None = None
) -> QuerySet[Acceptance]:
    acceptances = Acceptance.objects.select_related("user", "version").defer("version__html")
    if user is not None:
        acceptances = acceptances.filter(user=user)
    if version is not None:
        acceptances = acceptances.filter(version=version)
    return acceptances.order_by("accepted_at", "pk")


def policy_versions_not_accepted(
    user: AuthUser | AnonymousUser | None, *, now: datetime | None = None
) -> list[PolicyVersion]:
    """The versions in force that `user` has not accepted (all of them for a visitor), by kind.

    What a booking still has to ask for: a version accepted once (at sign-up, at an earlier
    booking) is not asked again, and not written twice in the ledger.
    """
    in_force = policy_versions_in_force(now=now)
    if user is None or not user.is_authenticated or not in_force:
        return [in_force[kind] for kind in sorted(in_force)]
    accepted = set(
        Acceptance.objects.filter(
            user=user, version__in=[v.pk for v in in_force.values()]
        ).values_list("version_id", flat=True)
    )
    return [in_force[kind] for kind in sorted(in_force) if in_force[kind].pk not in accepted]


def policy_version_notice_recipients(version: PolicyVersion) -> QuerySet:
    """Active accounts not yet told about `version` and not having accepted it (or a later one),
    by id: the order the notice task goes through them in batches."""
    from django.contrib.auth import get_user_model

    accepted = Acceptance.objects.filter(
        user=OuterRef("pk"), version__kind=version.kind, version__number__gte=version.number
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(policy_notices__version=version)
        .exclude(Exists(accepted))
        .order_by("pk")
        .only("pk", "email", "first_name", "last_name")
    )
