"""The admin API's image and document listings, cut to what the user may choose or change.

As shipped, Wagtail's /admin/api/main/images/ and /admin/api/main/documents/ list every item
outside private collections to anyone with admin access: a practitioner would see every
other practitioner's photos there, although the choosers and listings hide them.
"""

from django.db.models import QuerySet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

# Choosing covers the choosers; changing covers the listings (owners edit their uploads).
VISIBLE_ACTIONS = ["choose", "change"]


def _permitted(queryset: QuerySet, request) -> QuerySet:
    policy = policy_registry.get_by_type(queryset.model)
    visible = policy.instances_user_has_any_permission_for(request.user, VISIBLE_ACTIONS)
    return queryset.filter(pk__in=visible.values("pk"))


class PermittedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return _permitted(super().get_queryset(), self.request)


class PermittedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return _permitted(super().get_queryset(), self.request)
