"""The superuser's "reset two-factor" screen, in the Wagtail admin (see wagtail_hooks)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.second_factor import user_is_enrolled
from twofactor.services import devices_reset


class DevicesResetView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "twofactor/admin_reset.html"
    page_title = gettext_lazy("Réinitialiser la double authentification")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        # Removing someone's second factor is a superuser's act only: a lost phone is the case
        # it exists for, and it is recorded in the site history.
        if not request.user.is_superuser:
            raise PermissionDenied
        self.target = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.target)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(target=self.target, enrolled=user_is_enrolled(self.target))
        return context

    def post(self, request, *args, **kwargs):
        removed = devices_reset(user=self.target, by=request.user)
        messages.success(
            request,
            _(
                "Double authentification réinitialisée pour %(user)s "
                "(%(count)s appareil(s) retiré(s))."
            )
            % {"user": self.target, "count": removed},
        )
        return redirect("wagtailusers_users:edit", self.target.pk)
