"""Read-only admin of the ledger (wagtail-modeladmin) and the staff CSV evidence exports."""

from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from compliance.admin_views import ledger_export
from compliance.models import Acceptance, PolicyVersion
from core.readonly_admin import ReadOnlyPermissionHelper


def admin_column(label):
    """Name a ModelAdmin method shown as a column (modeladmin reads `short_description`)."""

    def decorate(method):
        method.short_description = label
        return method

    return decorate


class PolicyVersionAdmin(ModelAdmin):
    model = PolicyVersion
    menu_label = _("Versions des documents")
    menu_icon = "doc-full"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
        "number",
        "title",
        "effective_at",
        "created_at",
        "summary",
        "is_material",
        "sha256",
        "published_by",
    ]
    list_display = [
        "__str__",
        "effective_at",
        "is_material",
        "acceptances",
        "evidence",
    ]
    list_filter = ["kind", "is_material"]
    list_export = ["kind", "number", "title", "effective_at", "created_at", "is_material", "sha256"]
    export_filename = "versions-des-documents"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(acceptance_count=Count("acceptances"))

    @admin_column(_("acceptations"))
    def acceptances(self, obj):
        return obj.acceptance_count

    @admin_column(_("preuves"))
    def evidence(self, obj):
        url = reverse("compliance_ledger_export") + f"?version={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Exporter les acceptations (CSV)"))


class AcceptanceAdmin(ModelAdmin):
    model = Acceptance
    menu_label = _("Registre des consentements")
    menu_icon = "list-ul"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ["accepted_at", "who", "version", "context"]
    # "version" itself would need django.contrib.admin (RelatedFieldListFilter): kind + number.
    list_filter = ["version__kind", "version__number", "context"]
    search_fields = ["user__email", "email"]
    list_export = ["accepted_at", "who", "version", "context", "wording"]
    export_filename = "registre-des-consentements"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "version")

    @admin_column(_("qui"))
    def who(self, obj):
        return obj.user.email if obj.user_id else obj.email


class ComplianceAdminGroup(ModelAdminGroup):
    menu_label = _("Conformité")
    menu_icon = "lock"
    menu_order = 600
    items = (PolicyVersionAdmin, AcceptanceAdmin)


modeladmin_register(ComplianceAdminGroup)


@hooks.register("register_admin_urls")
def register_ledger_export():
    return [path("conformite/export/", ledger_export, name="compliance_ledger_export")]
