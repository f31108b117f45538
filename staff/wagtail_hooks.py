"""Practitioners' isolation in the admin, on top of their per-page permission.

Wagtail already refuses every editing view of a page they have no permission on (edit,
revisions, history, preview, copy, move, delete, unpublish...). These hooks cover the listings
that show pages without editing them, and the image permissions Wagtail leaves to the UI.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Q
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from staff.admin_api import PermittedDocumentsAdminAPIViewSet, PermittedImagesAdminAPIViewSet
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


@hooks.register("construct_admin_api", order=1)
def permitted_images_and_documents_api(router):
    # After Wagtail's own hooks (order 0), which register the unfiltered endpoints under the
    # same names: registering again replaces them.
    router.register_endpoint("images", PermittedImagesAdminAPIViewSet)
    router.register_endpoint("documents", PermittedDocumentsAdminAPIViewSet)


@hooks.register("before_edit_page")
def refuse_unchoosable_images_on_edit(request, page):
    _refuse_unchoosable_images(request, type(page), current=page)


@hooks.register("before_create_page")
def refuse_unchoosable_images_on_create(request, parent_page, page_class):
    _refuse_unchoosable_images(request, page_class, current=None)


def _refuse_unchoosable_images(request, page_class, *, current) -> None:
    """A form posted with an image the user could not have chosen is refused.

    The chooser lists only the images one may choose, but the page form accepts any image id:
    a practitioner could attach, and so preview, another practitioner's unpublished photo. An
    image already on the page (set by an editor, say) may stay.
    """
    if request.method != "POST":
        return
    image_model = get_image_model()
    choosable = None
    for field in page_class._meta.concrete_fields:
        if not isinstance(field, ForeignKey) or field.related_model is not image_model:
            continue
        posted = request.POST.get(field.name, "")
        kept = current is not None and posted == str(getattr(current, field.attname) or "")
        if not (posted.isascii() and posted.isdigit()) or kept:
            continue  # empty, unchanged, or not an id (the form itself refuses it)
        if choosable is None:
            choosable = policy_registry.get_by_type(
                image_model
            ).instances_user_has_any_permission_for(request.user, ["choose"])
        if not choosable.filter(pk=int(posted)).exists():
            raise PermissionDenied
