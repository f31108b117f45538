"""Answers shared by the practitioner area's views."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from booking.practitioner.access import PractitionerRequest


def removed(
    request: PractitionerRequest,
    *,
    remove: Callable[[], None],
    missing: type[Exception],
    done: str,
    then: str,
) -> HttpResponse:
    """The answer of a remove button: a 404 for a row that is not the practitioner's (the
    service raises `missing`), else back to the page `then` with `done` said."""
    try:
        remove()
    except missing:
        raise Http404 from None
    messages.success(request, done)
    return redirect(then)
