"""The OpenAPI description of /api/v1/policies/ (compliance/api.py), added from outside.

Those views are plain APIViews without a declared serializer, so drf-spectacular cannot guess
their bodies; these extensions describe them with compliance's own serializers, without
touching the views. Registered on import (site/api.py imports this module).
"""

from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers


class PolicyRefusalSerializer(serializers.Serializer):
    """The shape of every refusal of this API: a French sentence."""

    detail = serializers.CharField()


KIND = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["privacy", "terms"])
# The routes take a number of one to nine digits without a leading zero (compliance/api.py).
NUMBER = OpenApiParameter(
    "number", {"type": "integer", "minimum": 1, "maximum": 999_999_999}, OpenApiParameter.PATH
)
NOT_FOUND = OpenApiResponse(PolicyRefusalSerializer, description="Document ou version inconnus.")
# DRF's field errors: {"field": ["message"]} (a raw schema: its keys are the fields').
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _documented(view_class, method: str, **kwargs):
    """A subclass of `view_class` whose `method` carries the schema annotations."""

    class Documented(view_class):
        pass

    annotated = extend_schema(tags=["policies"], **kwargs)(getattr(view_class, method))
    setattr(Documented, method, annotated)
    return Documented


class PoliciesViewSchema(OpenApiViewExtension):
    target_class = "compliance.api.PoliciesView"

    def view_replacement(self):
        from compliance.api import PolicyVersionSerializer

        return _documented(
            self.target,
            "get",
            operation_id="policies_in_force",
            summary="Documents en vigueur",
            description="La version en vigueur de chaque document ; un document qui n'en a "
            "pas encore est absent.",
            responses={
                200: inline_serializer(
                    "PoliciesInForce",
                    {
                        "privacy": PolicyVersionSerializer(required=False),
                        "terms": PolicyVersionSerializer(required=False),
                    },
                )
            },
        )


class PolicyVersionsViewSchema(OpenApiViewExtension):
    target_class = "compliance.api.PolicyVersionsView"

    def view_replacement(self):
        from compliance.api import PolicyVersionSerializer

        return _documented(
            self.target,
            "get",
            operation_id="policies_versions_list",
            summary="Versions d'un document",
            description="Toutes les versions publiées, la plus récente d'abord.",
            parameters=[KIND],
            responses={200: PolicyVersionSerializer(many=True), 404: NOT_FOUND},
        )


class PolicyVersionViewSchema(OpenApiViewExtension):
    target_class = "compliance.api.PolicyVersionView"

    def view_replacement(self):
        from compliance.api import PolicyVersionDetailSerializer

        return _documented(
            self.target,
            "get",
            operation_id="policies_version_detail",
            summary="Une version, avec son texte",
            parameters=[KIND, NUMBER],
            responses={200: PolicyVersionDetailSerializer, 404: NOT_FOUND},
        )


class PolicyVersionAcceptViewSchema(OpenApiViewExtension):
    target_class = "compliance.api.PolicyVersionAcceptView"

    def view_replacement(self):
        from compliance.api import AcceptanceSerializer, AcceptInputSerializer

        return _documented(
            self.target,
            "post",
            operation_id="policies_version_accept",
            summary="Accepter la version en vigueur",
            description="Connexion et jeton CSRF requis. Accepter deux fois renvoie la "
            "première acceptation (200).",
            parameters=[KIND, NUMBER],
            request=AcceptInputSerializer,
            responses={
                200: AcceptanceSerializer,
                201: AcceptanceSerializer,
                400: OpenApiResponse(
                    {"anyOf": [FIELD_ERRORS, {"$ref": "#/components/schemas/PolicyRefusal"}]},
                    description="Version qui n'est pas en vigueur ({detail}), corps illisible "
                    "({detail}) ou formulation invalide ({wording: [messages]}).",
                ),
                403: OpenApiResponse(
                    PolicyRefusalSerializer, description="Non connecté ou sans CSRF."
                ),
                404: NOT_FOUND,
            },
        )
