"""Practitioners' isolation in the admin, on top of their per-page permission.

Wagtail already refuses every editing view of a page they have no permission on (edit,
revisions, history, preview, copy, move, delete, unpublish...). These hooks cover the listings
that show pages without editing them.
"""

from django.db.models import Q
from wagtail import hooks

from staff.selectors import practitioner_scope_page_id


@hooks.register("construct_page_chooser_queryset")
def practitioner_chooser_pages(pages, request):
    # Linking to a published page is fine (it is public); other practitioners' drafts are not
    # theirs to see.
    page_id = practitioner_scope_page_id(request.user)
    if page_id is None:
        return pages
    return pages.filter(Q(live=True) | Q(pk=page_id))


@hooks.register("construct_explorer_page_queryset")
def practitioner_explorer_pages(parent_page, pages, request):
    page_id = practitioner_scope_page_id(request.user)
    if page_id is None:
        return pages
    return pages.filter(pk=page_id)
