"""Template tags that let cms templates show policy versions without cms importing compliance."""

from django import template
from django.utils.safestring import mark_safe

from compliance import selectors
from compliance.models import DOCUMENT_SLUGS, PolicyVersion

register = template.Library()


@register.simple_tag
def policy_version_in_force(kind: str) -> PolicyVersion | None:
    """`{% policy_version_in_force page.document_kind as version %}`"""
    if not kind:
        return None
    return selectors.policy_version_in_force(kind)


@register.simple_tag
def policy_versions_url(kind: str) -> str:
    slug = DOCUMENT_SLUGS.get(kind)
    return f"/{slug}/versions/" if slug else ""


@register.filter
def policy_snapshot(version: PolicyVersion) -> str:
    # Safe: the snapshot is the editors' rich text as Wagtail renders it ({{ body|richtext }}),
    # frozen at publication; it is exactly as trusted as the page it came from.
    return mark_safe(version.html)


@register.simple_tag(takes_context=True)
def policy_notice(context) -> dict | None:
    """What the banner under the header shows to a signed-in user, from the per-request cache."""
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return None
    pending = selectors.request_pending_versions(request)
    if pending.gated:
        return {"gated": True}
    if not pending.notices:
        return None
    versions = list(PolicyVersion.objects.filter(pk__in=pending.notices).defer("html"))
    return {"gated": False, "versions": versions}
