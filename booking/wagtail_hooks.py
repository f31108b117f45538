"""Read-only admin of appointments for staff, with every opening of one logged.

Appointment data is the practitioner's (the platform is their processor, see the privacy
rules): staff may need to look at one to help, and each look leaves an AppointmentAccessLog row.
Only users holding booking.view_appointment see the menu (superusers; no group gets it by
default, editors included). The list shows no client identity; the inspect view does, and logs.
The payments register (booking.payments.admin) follows the same rules with its own permission
(booking.view_payment) and log; an appointment paid online gets a "Rembourser" button for staff
holding booking.change_payment.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from booking.models import Appointment, AppointmentAccessLog, AppointmentStatus, Practitioner
from booking.onboarding import admin as onboarding_admin
from booking.payments import admin as payments_admin
from booking.payments import connect
from booking.services.availability import next_free_refresh_on_commit
from core.readonly_admin import ReadOnlyPermissionHelper


class LoggedInspectView(InspectView):
    """The inspect view, writing one access-log row each time an appointment is shown."""

    def get(self, request, *args, **kwargs):
        # dispatch() has already checked the permission: only actual displays are logged.
        AppointmentAccessLog.objects.create(
            appointment=self.instance, user=request.user, action="inspect"
        )
        return super().get(request, *args, **kwargs)


class AppointmentAdmin(ModelAdmin):
    model = Appointment
    menu_label = _("Rendez-vous")
    menu_icon = "date"
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = payments_admin.AppointmentButtonHelper
    inspect_view_enabled = True
    inspect_view_class = LoggedInspectView
    inspect_view_fields = [
        "reference",
        "practitioner",
        "client",
        "service_name",
        "duration_minutes",
        "price",
        "mode",
        "start",
        "end",
        "status",
        "payment_method",
        "created_at",
        "reschedule_count",
        "sequence",
        "cancelled_at",
        "cancelled_by",
        "cancellation_reason",
        "rules_snapshot",
    ]
    list_display = ["start", "practitioner", "service_name", "status"]
    # Choice fields only: a foreign-key filter would need django.contrib.admin.
    list_filter = ["status", "mode", "cancelled_by", "payment_method"]
    search_fields = ["reference"]

    def get_queryset(self, request):
        # Slot holds are not appointments (booking.services.holds): never listed here.
        queryset = super().get_queryset(request).exclude(status=AppointmentStatus.HELD)
        # The payment: for the refund button of each row, without one query per row.
        return queryset.select_related("practitioner__page", "payment")


class AppointmentAccessLogAdmin(ModelAdmin):
    model = AppointmentAccessLog
    menu_label = _("Journal des accès")
    menu_icon = "list-ul"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ["accessed_at", "user", "action", "appointment"]
    list_filter = ["action"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "appointment")


class BookingAdminGroup(ModelAdminGroup):
    menu_label = _("Rendez-vous")
    menu_icon = "date"
    menu_order = 500
    items = (AppointmentAdmin, AppointmentAccessLogAdmin)


modeladmin_register(BookingAdminGroup)
modeladmin_register(payments_admin.PaymentAdminGroup)


# The editors' register of practitioners (booking.onboarding).
hooks.register("register_admin_urls", onboarding_admin.admin_urls)
hooks.register("register_admin_menu_item", onboarding_admin.register_menu_item)
hooks.register("register_log_actions", onboarding_admin.log_actions_register)

# The staff payments register and refunds (booking.payments.admin).
hooks.register("register_admin_urls", payments_admin.admin_urls)
hooks.register("register_log_actions", payments_admin.log_actions_register)
hooks.register("register_log_actions", connect.log_actions_register)


# Services live on the page: publishing or unpublishing a profile changes what can be booked,
# so its cached next free slot is recomputed once the publication is committed. Publications
# outside the editor (scheduled, workflow approvals) are caught by the periodic pass.
@hooks.register("after_publish_page")
@hooks.register("after_unpublish_page")
def next_free_refresh_after_publication(request, page) -> None:
    practitioner_id = (
        Practitioner.objects.filter(page_id=page.pk).values_list("pk", flat=True).first()
    )
    if practitioner_id is not None:
        next_free_refresh_on_commit(practitioner_id)
