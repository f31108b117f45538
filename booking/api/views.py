"""Views of the booking API: thin, they call booking.services and booking.selectors.

See booking/api/__init__.py for the conventions (authentication, error format, status codes).
"""

import re
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from booking import selectors, services
from booking.api import serializers as s
from booking.exceptions import BookingError, ChangeNotAllowed, SlotUnavailable
from booking.models import Appointment, CancelledBy, Practitioner
from cms.models import PractitionerService
from compliance.selectors import policy_versions_not_accepted
from core.api_input import validated
from core.api_language import APILanguageMixin

if TYPE_CHECKING:
    from accounts.models import User

# Ids of at most nine digits (the URL patterns of compliance/api.py do the same): longer ones
# cannot exist and would overflow a database integer.
ID_PATTERN = re.compile(r"[1-9][0-9]{0,8}")
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
MAX_PAGE_ID = 999_999_999

PAGE_ID = OpenApiParameter(
    "page_id",
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_ID},
    OpenApiParameter.PATH,
    description="Fiche du praticien.",
)
SERVICE = OpenApiParameter(
    "service",
    {"type": "integer", "minimum": 1, "maximum": s.MAX_ID},
    required=True,
    description="Prestation du praticien.",
)
REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Référence du rendez-vous."
)
NOT_FOUND = OpenApiResponse(s.DetailSerializer, description="Inconnu (ou pas le vôtre).")
NOT_SIGNED_IN = OpenApiResponse(
    s.DetailSerializer, description="Non connecté, jeton CSRF absent ou conditions à accepter."
)
# What a 400 carries: DRF's field errors ({"field": ["message"]}), or a sentence, with a code
# when the booking rules refuse ({"code", "detail"}) and without one when the body cannot be
# read at all (core/api_errors.py). Raw schemas: DRF's field errors have no fixed keys.
_FIELD_ERRORS = {
    "type": "object",
    "description": "Champs invalides : {champ: [messages]}.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
_REFUSAL = {
    "type": "object",
    "description": "Refus expliqué : {detail} (corps illisible) ou {code, detail} (règles).",
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = OpenApiResponse(
    {"anyOf": [_FIELD_ERRORS, _REFUSAL]},
    description="Champs invalides ({champ: [messages]}) ou corps illisible ({detail}).",
)
OUTSIDE_RULES = OpenApiResponse(
    {"anyOf": [_FIELD_ERRORS, _REFUSAL]},
    description="Champs invalides ({champ: [messages]}), corps illisible ({detail}) ou "
    "horaire refusé par les règles ({code: outside_booking_rules…, detail}).",
)
SLOT_TAKEN = OpenApiResponse(
    s.ConflictSerializer,
    description="Créneau déjà pris (code slot_unavailable, avec d'autres créneaux) ou "
    "modification refusée (code change_not_allowed : délai dépassé, rendez-vous annulé ou "
    "commencé, trop de reports).",
)


def _page_id(value: str) -> int:
    if not ID_PATTERN.fullmatch(value):
        raise NotFound(_("Ce praticien n'existe pas ou ne prend pas de rendez-vous en ligne."))
    return int(value)


def _practitioner_or_404(page_id_text: str) -> Practitioner:
    practitioner = selectors.bookable_practitioner(_page_id(page_id_text))
    if practitioner is None:
        raise NotFound(_("Ce praticien n'existe pas ou ne prend pas de rendez-vous en ligne."))
    return practitioner


class BookingAPIView(APILanguageMixin, APIView):
    # Refusals of the booking services become 4xx answers with a code and a French detail.
    # (A comment, not a docstring: drf-spectacular would publish it as every operation's
    # description.)

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, SlotUnavailable):
            tz = getattr(self, "tz", None)
            return Response(
                {
                    "code": exc.code,
                    "detail": exc.message,
                    "alternatives": s.SlotSerializer(
                        exc.alternatives, many=True, context={"tz": tz}
                    ).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        if isinstance(exc, ChangeNotAllowed):
            return Response(
                {"code": exc.code, "detail": exc.message}, status=status.HTTP_409_CONFLICT
            )
        if isinstance(exc, BookingError):  # OutsideBookingRules and any other refusal
            return Response(
                {"code": exc.code, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST
            )
        return super().handle_exception(exc)

    def appointment_data(self, appointment: Appointment) -> dict:
        return s.AppointmentSerializer(appointment, context=self.appointment_context()).data

    def appointment_context(self) -> dict:
        request = self.request
        now = timezone.now()
        return {
            "request": request,
            "refusal": lambda appointment, action: selectors.appointment_change_refusal(
                appointment=appointment, by=request.user, now=now, action=action
            ),
        }

    def own_appointment(self, reference: str) -> Appointment:
        """The signed-in user's appointment; another's, or a malformed reference, is a 404."""
        # Only the form the schema documents (format: uuid); uuid.UUID would also take braces,
        # a "urn:uuid:" prefix or no hyphens at all.
        reference_uuid = uuid.UUID(reference) if UUID_PATTERN.fullmatch(reference) else None
        # IsAuthenticated: the user is a signed-in account here.
        client = cast("User", self.request.user)
        appointment = selectors.client_appointment(client=client, reference=reference_uuid)
        if appointment is None:
            raise NotFound(_("Ce rendez-vous n'existe pas."))
        self.tz = appointment.practitioner.tz
        return appointment


@extend_schema(tags=["booking"])
class ServicesView(APILanguageMixin, APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="booking_practitioner_services",
        summary="Prestations d'un praticien",
        description="Les prestations que l'on peut réserver en ligne chez ce praticien.",
        parameters=[PAGE_ID],
        responses={200: s.ServiceSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, page_id):
        practitioner = _practitioner_or_404(page_id)
        services_qs = selectors.practitioner_services(practitioner=practitioner)
        return Response(s.ServiceSerializer(services_qs, many=True).data)


@extend_schema(tags=["booking"])
class SlotsView(APILanguageMixin, APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="booking_practitioner_slots",
        summary="Créneaux libres",
        description=(
            "Les créneaux libres d'une prestation, jour par jour du `from` au `to` inclus "
            "(dates dans le fuseau du praticien, au plus 31 jours ; par défaut la semaine "
            "qui commence aujourd'hui). Une période entièrement passée ou au-delà de "
            "l'horizon de réservation est refusée (400)."
        ),
        parameters=[
            PAGE_ID,
            SERVICE,
            OpenApiParameter("from", OpenApiTypes.DATE, description="Premier jour (AAAA-MM-JJ)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Dernier jour (AAAA-MM-JJ)."),
        ],
        responses={200: s.SlotsSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request, page_id):
        practitioner = _practitioner_or_404(page_id)
        query = validated(s.SlotsQuerySerializer, request.query_params)
        service = selectors.practitioner_service(
            practitioner=practitioner, service_id=query["service"]
        )
        if service is None:
            raise NotFound(_("Cette prestation n'est pas proposée par ce praticien."))

        now = timezone.now()
        tz = practitioner.tz
        today = now.astimezone(tz).date()
        last_bookable = (now + timedelta(days=practitioner.horizon_days)).astimezone(tz).date()
        first = query.get("from") or today
        # Refused before any date arithmetic: `from=9999-12-30` must not overflow a week later.
        if first > last_bookable:
            raise ValidationError(
                {
                    "from": [
                        _("Les rendez-vous ne sont proposés que jusqu'au %(date)s.")
                        % {"date": date_format(last_bookable, "SHORT_DATE_FORMAT")}
                    ]
                }
            )
        last = query.get("to") or first + timedelta(days=6)
        if "to" not in query and (last - first).days + 1 > s.MAX_RANGE_DAYS:
            last = first + timedelta(days=s.MAX_RANGE_DAYS - 1)
        if last < first:
            raise ValidationError({"to": [_("La date de fin précède la date de début.")]})
        if last < today:
            raise ValidationError({"to": [_("Cette période est passée.")]})

        slots = selectors.practitioner_free_slots(
            practitioner=practitioner, service=service, first_day=first, last_day=last, now=now
        )
        next_available = selectors.practitioner_next_free_slot(
            practitioner=practitioner, service=service, now=now
        )
        context = {"tz": tz}
        return Response(
            {
                "practitioner": practitioner.page_id,
                "service": service.pk,
                "timezone": practitioner.timezone,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "slots": s.SlotSerializer(slots, many=True, context=context).data,
                "next_available": (
                    s.SlotSerializer(next_available, context=context).data
                    if next_available
                    else None
                ),
            }
        )


@extend_schema(tags=["booking"])
class AppointmentsView(BookingAPIView):
    @extend_schema(
        operation_id="booking_appointments_list",
        summary="Mes rendez-vous",
        description=(
            "Les rendez-vous de l'utilisateur connecté : à venir (le plus proche d'abord) puis "
            "passés (le plus récent d'abord) ; `when` n'en garde qu'une partie. Chacun porte "
            "`upcoming`."
        ),
        parameters=[
            OpenApiParameter("when", OpenApiTypes.STR, enum=["upcoming", "past"]),
        ],
        responses={
            200: s.AppointmentListItemSerializer(many=True),
            400: FIELD_ERRORS,
            403: NOT_SIGNED_IN,
        },
    )
    def get(self, request):
        when = validated(s.AppointmentListQuerySerializer, request.query_params).get("when")
        upcoming, past = selectors.client_appointments(client=request.user)
        listed = (upcoming if when != "past" else []) + (past if when != "upcoming" else [])
        context = {**self.appointment_context(), "upcoming_ids": {a.pk for a in upcoming}}
        return Response(s.AppointmentListItemSerializer(listed, many=True, context=context).data)

    @extend_schema(
        operation_id="booking_appointments_create",
        summary="Réserver un créneau",
        description=(
            "Réserve le créneau et enregistre l'acceptation des documents en vigueur que "
            "l'utilisateur n'avait pas encore acceptés (`accept_terms` doit alors valoir true), "
            "ensemble (tout ou rien) ; une acceptation n'est enregistrée qu'une fois. Un "
            "créneau retenu par un autre visiteur est pris (409). Le prix est "
            "celui de la prestation en base : un `price` envoyé est ignoré. Demande la "
            "session et l'en-tête X-CSRFToken."
        ),
        request=s.AppointmentCreateSerializer,
        responses={
            201: s.AppointmentSerializer,
            400: OUTSIDE_RULES,
            403: NOT_SIGNED_IN,
            409: OpenApiResponse(
                s.SlotUnavailableSerializer,
                description="Créneau déjà pris : d'autres créneaux sont proposés.",
            ),
        },
    )
    def post(self, request):
        data = validated(s.AppointmentCreateSerializer, request.data)
        practitioner = (
            Practitioner.objects.select_related("page")
            .filter(page__pk=data["practitioner"], page__live=True)
            .first()
        )
        if practitioner is None:
            raise ValidationError({"practitioner": [_("Ce praticien n'existe pas.")]})
        self.tz = practitioner.tz
        service = PractitionerService.objects.filter(pk=data["service"]).first()
        if service is None:
            raise ValidationError({"service": [_("Cette prestation n'existe pas.")]})
        # Consent is asked for what the user has not accepted yet (as on the confirm page);
        # the service records it with the booking, once.
        pending = policy_versions_not_accepted(request.user)
        if pending and data["accept_terms"] is not True:
            raise ValidationError(
                {
                    "accept_terms": [
                        _("Acceptez ces documents pour réserver : %(documents)s.")
                        % {"documents": ", ".join(version.title for version in pending)}
                    ]
                }
            )
        appointment = services.appointment_book(
            practitioner=practitioner, service=service, start=data["start"], client=request.user
        )
        return Response(self.appointment_data(appointment), status=status.HTTP_201_CREATED)


@extend_schema(tags=["booking"], parameters=[REFERENCE])
class AppointmentView(BookingAPIView):
    @extend_schema(
        operation_id="booking_appointment_detail",
        summary="Un de mes rendez-vous",
        description="Un rendez-vous de l'utilisateur connecté ; celui d'un autre est inconnu "
        "(404).",
        responses={200: s.AppointmentSerializer, 403: NOT_SIGNED_IN, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        return Response(self.appointment_data(self.own_appointment(reference)))


@extend_schema(tags=["booking"], parameters=[REFERENCE])
class AppointmentCancelView(BookingAPIView):
    @extend_schema(
        operation_id="booking_appointment_cancel",
        summary="Annuler un de mes rendez-vous",
        description=(
            "Possible jusqu'au délai d'annulation fixé par le praticien au moment de la "
            "réservation ; après, 409 avec la raison. Le praticien est prévenu par e-mail."
        ),
        request=s.AppointmentCancelSerializer,
        responses={
            200: s.AppointmentSerializer,
            400: FIELD_ERRORS,
            403: NOT_SIGNED_IN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                s.ErrorSerializer, description="Annulation refusée (code change_not_allowed)."
            ),
        },
    )
    def post(self, request, reference):
        appointment = self.own_appointment(reference)
        data = validated(s.AppointmentCancelSerializer, request.data)
        appointment = services.appointment_cancel(
            appointment=appointment,
            by=request.user,
            reason=data.get("reason", ""),
            by_role=CancelledBy.CLIENT,
        )
        return Response(self.appointment_data(appointment))


@extend_schema(tags=["booking"], parameters=[REFERENCE])
class AppointmentRescheduleView(BookingAPIView):
    @extend_schema(
        operation_id="booking_appointment_reschedule",
        summary="Déplacer un de mes rendez-vous",
        description=(
            "Même référence, nouvel horaire (même prestation). Possible jusqu'au délai "
            "d'annulation et dans la limite de reports fixée par le praticien."
        ),
        request=s.AppointmentRescheduleSerializer,
        responses={
            200: s.AppointmentSerializer,
            400: OUTSIDE_RULES,
            403: NOT_SIGNED_IN,
            404: NOT_FOUND,
            409: SLOT_TAKEN,
        },
    )
    def post(self, request, reference):
        appointment = self.own_appointment(reference)
        data = validated(s.AppointmentRescheduleSerializer, request.data)
        appointment = services.appointment_reschedule(
            appointment=appointment, start=data["start"], by=request.user
        )
        return Response(self.appointment_data(appointment))
