from django.apps import AppConfig


class BookingConfig(AppConfig):
    """Bookable side of practitioners: services, availability, appointments, payments.

    Empty until the booking issue lands; it exists so that the layout is settled.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "booking"
    verbose_name = "Rendez-vous"
