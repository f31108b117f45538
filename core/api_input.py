"""What the APIs validate, validated as their schema describes it.

DRF is lenient where the OpenAPI description is not, and a client that relies on leniency
breaks the day it is gone:
- a QueryDict (query string, form or multipart body) is read by HTML-form rules: a parameter
  sent empty counts as not sent when the field is optional, so `?when=` or an empty `wording`
  were accepted although the schema refuses them (not a value of the enum, shorter than one
  character). `validated` hands the serializer a plain dict: empty is a value, a wrong one;
- in a JSON body, DRF's fields convert types: 0 becomes the text "0", "5" the integer 5, "yes"
  true. The schema says string, integer, boolean: `TextField`, `IntegerField` and
  `BooleanField` take the JSON type only. A query string or a form has no types (everything is
  text there), so they keep DRF's conversions for it.
"""

from typing import Any

from django.http import QueryDict
from rest_framework import serializers

# In the serializer's context: the input came with JSON's types.
TYPED = "typed_input"


def validated(serializer_class: type[serializers.Serializer], data: Any) -> Any:
    """The serializer's validated data for `data` (request.data or request.query_params);
    raises DRF's ValidationError (a 400) otherwise."""
    typed = not isinstance(data, QueryDict)
    serializer = serializer_class(
        data=data if typed else data.dict(),  # the last value of a repeated key, as DRF's
        context={TYPED: typed},
    )
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _typed(field: serializers.Field) -> bool:
    return bool(field.context.get(TYPED))


class TextField(serializers.CharField):
    def to_internal_value(self, data):
        if _typed(self) and not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class IntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if _typed(self) and (isinstance(data, bool) or not isinstance(data, int)):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if _typed(self) and not isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)
