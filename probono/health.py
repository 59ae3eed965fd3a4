"""Health: /healthz for load balancers and the container, and a 503 page when the database is
down, so that readers are told to come back instead of seeing a server error."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
RETRY_AFTER_S = 30


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not; never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health check failed: %s", error, extra={"request": request})
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class DatabaseUnavailableMiddleware:
    """Answer a view that lost its database (down, restarting, or a query past the statement
    timeout) with a 503 page and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable: %s", exception, extra={"request": request})
        page = render_to_string(
            "503.html", {"LANGUAGE_CODE": translation.get_language()}, request=None
        )
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        response["Cache-Control"] = "no-store"
        return response
