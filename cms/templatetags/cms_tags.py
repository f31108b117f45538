"""Template tags of the public site: structured data, accessible form fields, pagination."""

import json
import re

from django import template
from django.core.paginator import Page as PaginatorPage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from cms.structured_data import practitioner_structured_data as build_practitioner_data

register = template.Library()

# Characters HTML forbids in a document (controls other than tab, newline, form feed and
# carriage return). A visitor can put them in the query string; echoed back in a field's value
# they would make the page invalid, so they are dropped when the field is rendered.
_FORBIDDEN_IN_HTML = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# The JSON goes inside a <script> element: "</script>" or "<!--" in a value must not end or
# alter it, so the characters HTML gives meaning to are written as JSON unicode escapes.
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_ld_dumps(data) -> str:
    """JSON text safe to embed in an HTML <script> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=False)
    return text.translate(_JSON_SCRIPT_ESCAPES)


@register.simple_tag
def json_ld(data):
    """Render `data` as a schema.org JSON-LD script element (data, not code: CSP allows it)."""
    if not data:
        return ""
    # Safe: the JSON is escaped for a script element by json_ld_dumps.
    return mark_safe(f'<script type="application/ld+json">{json_ld_dumps(data)}</script>')


@register.simple_tag(takes_context=True)
def practitioner_structured_data(context, page):
    """`{% practitioner_structured_data page as data %}` then `{% json_ld data %}`."""
    return build_practitioner_data(page, context.get("request"))


@register.simple_tag
def form_field(bound_field, css_class=""):
    """A form field's widget, tied to its error message for assistive technologies.

    The error list is rendered next to the field with the id `<field id>-erreur`; the widget
    points at it with aria-describedby (Django 5.2 already sets aria-invalid).
    """
    attrs = {}
    if css_class:
        attrs["class"] = css_class
    if bound_field.errors:
        described_by = [f"{bound_field.auto_id}-erreur"]
        existing = bound_field.field.widget.attrs.get("aria-describedby")
        if existing:
            described_by.insert(0, existing)
        if bound_field.help_text:
            described_by.insert(0, f"{bound_field.auto_id}_helptext")
        attrs["aria-describedby"] = " ".join(described_by)
        attrs["aria-invalid"] = "true"
    html = bound_field.as_widget(attrs=attrs)
    # Removing characters from escaped markup cannot create markup: it stays safe.
    return mark_safe(_FORBIDDEN_IN_HTML.sub("", html))


@register.simple_tag
def elided_page_range(page: PaginatorPage, on_each_side=2, on_ends=1):
    """Page numbers to link to around the current one, with the paginator's ellipsis."""
    return list(
        page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )
