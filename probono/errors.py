"""Errors that can be found again: every request carries an id, sent back in `X-Request-ID`,
written on each log line about it and shown on the 500 page, so that a reader's report
("request 3f2a…") leads to its traceback in the log (settings.LOGGING)."""

import logging
import re
import uuid

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

HEADER = "X-Request-ID"
# A proxy in front (nginx's $request_id, say) may name the request itself; anything else that
# arrives in the header is replaced, so that no one writes what they like into the log.
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id(get_response):
    def middleware(request):
        given = request.headers.get(HEADER, "")
        request.id = given if ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        response = get_response(request)
        response[HEADER] = request.id
        return response

    return middleware


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id`: the id of the request it is about (Django's request
    loggers attach the request), or "-"."""

    def filter(self, record):
        record.request_id = getattr(getattr(record, "request", None), "id", "-")
        return True


@requires_csrf_token
def server_error(request):
    """The 500 page with the request's id; rendered without the context processors, which may
    be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "id", "")}))
