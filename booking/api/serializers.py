"""What the booking API reads and writes. Output instants are UTC ("Z"), with the same instant
also given in the practitioner's time zone (`local_*`, with its offset) for display."""

import re
from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from booking.models import Appointment, CancelledBy
from booking.slots import Slot
from core import api_input as typed

# Ids arrive from URLs and bodies: beyond a 32-bit integer PostgreSQL would raise an error
# instead of "not found".
MAX_ID = 2_147_483_647
# The widest range of dates one request for slots may cover.
MAX_RANGE_DAYS = 31

DATE_FORMAT = "%Y-%m-%d"


# The instant format the schema documents (DRF's ISO 8601: YYYY-MM-DDThh:mm[:ss[.uuuuuu]] then
# Z or ±HH:MM), and nothing looser: Django's parser also takes a NUL character or spaces before
# the offset, which no client means and which a booking must not silently accept.
ISO_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?P<offset>Z|[+-]\d{2}:\d{2})?"
)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant with its offset ("Z" or "+01:00"): a bare local time is ambiguous
    (whose time zone?), so it is refused instead of guessed."""

    default_error_messages = {
        "naive": _("Indiquez le fuseau horaire (par exemple 2025-03-10T09:00:00+01:00 ou …Z)."),
        "range": _("Cette date est hors des limites acceptées."),
    }

    def __init__(self, **kwargs):
        super().__init__(default_timezone=UTC, **kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str):
            matched = ISO_INSTANT.fullmatch(value)
            if matched is None:
                self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]")
            if matched["offset"] is None:
                self.fail("naive")
            # Far-off years would overflow when converted to UTC or when the duration is
            # added; nothing bookable lies there anyway.
            if not 1900 <= int(value[:4]) <= 9000:
                self.fail("range")
        return super().to_internal_value(value)


class UTCDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs):
        super().__init__(default_timezone=UTC, read_only=True, **kwargs)


def local_iso(instant: datetime, tz) -> str:
    return instant.astimezone(tz).isoformat()


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    price = serializers.DecimalField(
        max_digits=8, decimal_places=2, read_only=True, help_text="Prix en euros, en texte."
    )
    mode = serializers.CharField(read_only=True, help_text="cabinet, visio ou domicile")
    mode_label = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class SlotSerializer(serializers.Serializer):
    """A free slot; the practitioner's time zone comes in the serializer's context."""

    start = UTCDateTimeField(help_text="Début, en UTC.")
    end = UTCDateTimeField(help_text="Fin, en UTC.")
    local_start = serializers.SerializerMethodField(
        help_text="Début dans le fuseau du praticien, avec son décalage."
    )
    local_end = serializers.SerializerMethodField(
        help_text="Fin dans le fuseau du praticien, avec son décalage."
    )

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_start(self, slot: Slot) -> str:
        return local_iso(slot.start, self.context["tz"])

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_end(self, slot: Slot) -> str:
        return local_iso(slot.end, self.context["tz"])


class SlotsQuerySerializer(serializers.Serializer):
    """?service=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD (`from` and `to` included)."""

    def get_fields(self):
        # "from" is a Python keyword: the fields are declared here rather than as attributes.
        return {
            "service": serializers.IntegerField(min_value=1, max_value=MAX_ID),
            "from": serializers.DateField(input_formats=[DATE_FORMAT], required=False),
            "to": serializers.DateField(input_formats=[DATE_FORMAT], required=False),
        }

    def validate(self, attrs):
        first, last = attrs.get("from"), attrs.get("to")
        if first and last:
            if last < first:
                raise serializers.ValidationError(
                    {"to": [_("La date de fin précède la date de début.")]}
                )
            if (last - first).days + 1 > MAX_RANGE_DAYS:
                raise serializers.ValidationError(
                    {
                        "to": [
                            _("La période demandée dépasse %(days)s jours.")
                            % {"days": MAX_RANGE_DAYS}
                        ]
                    }
                )
        return attrs


class SlotsSerializer(serializers.Serializer):
    practitioner = serializers.IntegerField(help_text="Identifiant de la fiche du praticien.")
    service = serializers.IntegerField()
    timezone = serializers.CharField(help_text="Fuseau horaire du praticien.")
    # Declared in get_fields: "from" is a Python keyword.
    slots = SlotSerializer(many=True)
    next_available = SlotSerializer(
        allow_null=True, help_text="Le premier créneau libre à partir de maintenant."
    )

    def get_fields(self):
        fields = super().get_fields()
        return {
            "practitioner": fields["practitioner"],
            "service": fields["service"],
            "timezone": fields["timezone"],
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "slots": fields["slots"],
            "next_available": fields["next_available"],
        }


class AppointmentSerializer(serializers.ModelSerializer):
    """An appointment as its client sees it; service, price and mode are those booked."""

    practitioner = serializers.SerializerMethodField(
        help_text="Identifiant de la fiche du praticien (null si elle a été supprimée)."
    )
    practitioner_name = serializers.SerializerMethodField()
    service = serializers.SerializerMethodField(
        help_text="Identifiant de la prestation (null si elle a été supprimée depuis)."
    )
    start = UTCDateTimeField()
    end = UTCDateTimeField()
    local_start = serializers.SerializerMethodField()
    local_end = serializers.SerializerMethodField()
    timezone = serializers.CharField(source="practitioner.timezone", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    cancelled_at = UTCDateTimeField(allow_null=True)
    # Declared, not derived: a derived read-only field loses allow_blank, and the schema's enum
    # would then leave out the "" of an appointment that is not cancelled.
    cancelled_by = serializers.ChoiceField(
        choices=CancelledBy.choices,
        allow_blank=True,
        read_only=True,
        help_text="Qui a annulé (vide si le rendez-vous n'est pas annulé).",
    )
    created_at = UTCDateTimeField()
    cancel_refusal = serializers.SerializerMethodField(
        help_text="Pourquoi l'annulation est refusée maintenant (null : elle est possible)."
    )
    reschedule_refusal = serializers.SerializerMethodField(
        help_text="Pourquoi un report est refusé maintenant (null : il est possible)."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "reference",
            "url",
            "status",
            "status_label",
            "practitioner",
            "practitioner_name",
            "service",
            "service_name",
            "duration_minutes",
            "price",
            "mode",
            "payment_method",
            "start",
            "end",
            "local_start",
            "local_end",
            "timezone",
            "reschedule_count",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "created_at",
            "cancel_refusal",
            "reschedule_refusal",
        ]
        read_only_fields = fields

    def get_practitioner(self, appointment: Appointment) -> int | None:
        return appointment.practitioner.page_id

    def get_practitioner_name(self, appointment: Appointment) -> str:
        return str(appointment.practitioner)

    def get_service(self, appointment: Appointment) -> int | None:
        return appointment.service_id

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_start(self, appointment: Appointment) -> str:
        return local_iso(appointment.start, appointment.practitioner.tz)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_end(self, appointment: Appointment) -> str:
        return local_iso(appointment.end, appointment.practitioner.tz)

    def get_cancel_refusal(self, appointment: Appointment) -> str | None:
        return self.context["refusal"](appointment, "cancel")

    def get_reschedule_refusal(self, appointment: Appointment) -> str | None:
        return self.context["refusal"](appointment, "reschedule")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, appointment: Appointment) -> str:
        from django.urls import reverse

        from core.links import absolute_url

        return absolute_url(reverse("api:appointment", args=[appointment.reference]))


class AppointmentListItemSerializer(AppointmentSerializer):
    upcoming = serializers.SerializerMethodField(help_text="À venir (pas encore terminé) ou passé.")

    class Meta(AppointmentSerializer.Meta):
        fields = [*AppointmentSerializer.Meta.fields, "upcoming"]
        read_only_fields = fields

    def get_upcoming(self, appointment: Appointment) -> bool:
        return appointment.pk in self.context["upcoming_ids"]


class AppointmentCreateSerializer(serializers.Serializer):
    """Any other key (a "price", say) is ignored: the price always comes from the database."""

    # core.api_input's fields: in JSON, the schema's types and no conversion.
    practitioner = typed.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Identifiant de la fiche du praticien."
    )
    service = typed.IntegerField(min_value=1, max_value=MAX_ID)
    start = AwareDateTimeField(help_text="Début du créneau choisi (ISO 8601 avec fuseau).")
    accept_terms = typed.BooleanField(
        help_text="Acceptation des documents en vigueur (conditions générales, politique de "
        "confidentialité) que l'utilisateur n'a pas encore acceptés : `true` obligatoire s'il "
        "en reste (enregistrée une fois dans le registre), `false` possible sinon. Les "
        "versions à accepter sont celles de /api/v1/policies/ absentes de ses acceptations."
    )


class AppointmentCancelSerializer(serializers.Serializer):
    reason = typed.TextField(
        required=False, allow_blank=True, max_length=500, help_text="Motif (facultatif)."
    )


class AppointmentRescheduleSerializer(serializers.Serializer):
    start = AwareDateTimeField(help_text="Nouveau début (ISO 8601 avec fuseau).")


class AppointmentListQuerySerializer(serializers.Serializer):
    when = serializers.ChoiceField(choices=["upcoming", "past"], required=False)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField(help_text="Explication en français.")


class SlotUnavailableSerializer(ErrorSerializer):
    alternatives = SlotSerializer(many=True, help_text="Prochains créneaux libres proposés.")


class ConflictSerializer(ErrorSerializer):
    """A 409 of a change: the slot taken (with alternatives) or the change refused (without)."""

    alternatives = SlotSerializer(
        many=True,
        required=False,
        help_text="Prochains créneaux libres proposés (code slot_unavailable seulement).",
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Explication en français.")
