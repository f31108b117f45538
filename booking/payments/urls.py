"""The payment endpoints that are not pages: Stripe's webhook."""

from django.urls import path

from booking.payments import webhooks

app_name = "payments"

urlpatterns = [
    path("paiements/webhook/", webhooks.stripe_webhook, name="webhook"),
]
