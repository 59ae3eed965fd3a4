"""The site's addresses plus one that fails, for the tests of what a server error leaves behind."""

from django.db import OperationalError
from django.urls import path

from probono.urls import handler500, urlpatterns


def fails(request):
    raise RuntimeError("the directory broke on purpose")


def loses_its_database(request):
    raise OperationalError("the database went away on purpose")


urlpatterns = [
    path("fails/", fails),
    path("loses-its-database/", loses_its_database),
    *urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
