"""The site's addresses plus one that fails, for the tests of what a server error leaves behind."""

from django.urls import path

from probono.urls import handler500, urlpatterns


def fails(request):
    raise RuntimeError("the directory broke on purpose")


urlpatterns = [path("fails/", fails), *urlpatterns]

__all__ = ["handler500", "urlpatterns"]
