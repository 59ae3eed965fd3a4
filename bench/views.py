"""Two controls, served by the same processes as the pages they are compared with.

`plaintext` is the least a Django response costs through the whole middleware stack;
`fortunes` is TechEmpower's "fortunes" test: one query, one row added, a sort, a template.
Neither may come from the page cache, or it would not be a control.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bench.models import Fortune

ADDITIONAL_FORTUNE = "Additional fortune added at request time."


def sorted_fortunes(fortunes):
    """The fortunes and the one added at request time, sorted by message."""
    return sorted([*fortunes, Fortune(id=0, message=ADDITIONAL_FORTUNE)], key=lambda f: f.message)


@never_cache
def plaintext(request):
    return HttpResponse(b"Hello, World!", content_type="text/plain")


@never_cache
def fortunes(request):
    context = {"fortunes": sorted_fortunes(Fortune.objects.all())}
    return render(request, "bench/fortunes.html", context)
