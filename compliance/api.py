"""JSON API of the versioned documents, under /api/v1/policies/ (kinds: "privacy", "terms").

Reading is public. Accepting needs a signed-in user (session cookie, with the CSRF token DRF's
SessionAuthentication checks); a version can only be accepted while it is the one in force.
Versions are immutable: PUT, PATCH and DELETE are not routes here, hence 405.
"""

from django.urls import path, re_path
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import selectors, services
from compliance.models import Acceptance, AcceptanceContext, DocumentKind, PolicyVersion
from core.api_input import TextField, validated
from core.api_language import APILanguageMixin
from core.links import absolute_url


class PolicyVersionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = PolicyVersion
        fields = [
            "kind",
            "number",
            "title",
            "effective_at",
            "created_at",
            "summary",
            "is_material",
            "sha256",
            "in_force",
            "url",
            "pdf_url",
        ]

    def get_url(self, version) -> str:
        return absolute_url(version.get_absolute_url())

    def get_pdf_url(self, version) -> str:
        return absolute_url(version.pdf_url)

    def get_in_force(self, version) -> bool:
        in_force = self.context.get("in_force", {})
        return in_force.get(version.kind) == version.pk


class PolicyVersionDetailSerializer(PolicyVersionSerializer):
    class Meta(PolicyVersionSerializer.Meta):
        fields = [*PolicyVersionSerializer.Meta.fields, "html"]


class AcceptanceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="version.kind")
    number = serializers.IntegerField(source="version.number")

    class Meta:
        model = Acceptance
        fields = ["kind", "number", "accepted_at", "context", "wording"]


class AcceptInputSerializer(serializers.Serializer):
    # What the client application showed the person; recorded as evidence.
    wording = TextField(required=False, max_length=500, allow_blank=False)


def _kind_or_404(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise NotFound(_("Document inconnu : utilisez « privacy » ou « terms »."))
    return kind


def _version_or_404(kind: str, number: str) -> PolicyVersion:
    version = selectors.policy_version_get(_kind_or_404(kind), int(number))
    if version is None:
        raise NotFound(_("Cette version n'existe pas."))
    return version


def _in_force_ids() -> dict[str, int]:
    return {kind: v.pk for kind, v in selectors.policy_versions_in_force().items()}


class PublicView(APILanguageMixin, APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]


class PoliciesView(PublicView):
    """The version in force of each document (a document without one is absent)."""

    def get(self, request):
        in_force = selectors.policy_versions_in_force()
        context = {"request": request, "in_force": {k: v.pk for k, v in in_force.items()}}
        return Response(
            {
                kind: PolicyVersionSerializer(version, context=context).data
                for kind, version in in_force.items()
            }
        )


class PolicyVersionsView(PublicView):
    def get(self, request, kind):
        versions = selectors.policy_versions_list(_kind_or_404(kind))
        context = {"request": request, "in_force": _in_force_ids()}
        return Response(PolicyVersionSerializer(versions, many=True, context=context).data)


class PolicyVersionView(PublicView):
    def get(self, request, kind, number):
        version = _version_or_404(kind, number)
        context = {"request": request, "in_force": _in_force_ids()}
        return Response(PolicyVersionDetailSerializer(version, context=context).data)


class PolicyVersionAcceptView(APILanguageMixin, APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request, kind, number):
        version = _version_or_404(kind, number)
        data = validated(AcceptInputSerializer, request.data)
        in_force = selectors.policy_version_in_force(version.kind)
        if in_force is None or in_force.pk != version.pk:
            raise ValidationError(
                {
                    "detail": _("La version %(number)s n'est pas la version en vigueur.")
                    % {"number": version.number}
                }
            )
        # Accepting twice adds nothing to the evidence: answer with the first acceptance.
        acceptance = selectors.user_acceptances(request.user).filter(version=version).last()
        if acceptance is not None:
            return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_200_OK)
        try:
            [acceptance] = services.policy_versions_accept(
                user=request.user,
                versions=[version],
                context=AcceptanceContext.REACCEPTANCE,
                wording=data.get("wording") or services.WORDINGS[AcceptanceContext.REACCEPTANCE],
            )
        except services.VersionNotInForce as error:
            raise ValidationError({"detail": error.messages[0]}) from error
        return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)


N = r"[1-9][0-9]{0,8}"

urlpatterns = [
    path("policies/", PoliciesView.as_view(), name="api_policies"),
    path("policies/<str:kind>/versions/", PolicyVersionsView.as_view(), name="api_versions"),
    re_path(
        rf"^policies/(?P<kind>[a-z]+)/versions/(?P<number>{N})/$",
        PolicyVersionView.as_view(),
        name="api_version",
    ),
    re_path(
        rf"^policies/(?P<kind>[a-z]+)/versions/(?P<number>{N})/accept/$",
        PolicyVersionAcceptView.as_view(),
        name="api_version_accept",
    ),
]
