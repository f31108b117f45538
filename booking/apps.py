from django.apps import AppConfig


class BookingConfig(AppConfig):
    """Bookable side of practitioners: services, availability, appointments, payments."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "booking"
    verbose_name = "Rendez-vous"

    def ready(self) -> None:
        from booking.payments import checks  # noqa: F401  (registers the Stripe settings check)
