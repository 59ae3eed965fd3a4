"""The readers' pages: report a problem with an entry, propose an initiative, and the thanks.

The forms are never kept by the page cache (never_cache marks them private) and they alone set
the CSRF cookie: readers who only browse get no cookie. POST, then redirect to the thanks.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from initiatives.models import Correction, Initiative, Proposal
from initiatives.report_forms import CorrectionForm, ProposalForm
from networks.models import Facilitator, Network
from probono.ratelimits import over_limit

LIMIT = "reports"


@never_cache
def report_initiative(request, slug):
    return report(request, get_object_or_404(Initiative.objects.published(), slug=slug))


@never_cache
def report_facilitator(request, slug):
    return report(request, get_object_or_404(Facilitator, slug=slug))


@never_cache
def report_network(request, slug):
    return report(request, get_object_or_404(Network, slug=slug))


def report(request, entry):
    correction = Correction(**{entry._meta.model_name: entry}, language=get_language())
    form = CorrectionForm(posted(request), instance=correction)
    return reader_form(request, form, "initiatives/report_form.html", {"entry": entry})


@never_cache
def propose_initiative(request):
    form = ProposalForm(posted(request), instance=Proposal(language=get_language()))
    return reader_form(request, form, "initiatives/propose_form.html")


def posted(request):
    return request.POST if request.method == "POST" else None


def reader_form(request, form, template, context=None, limit=LIMIT, done="report_thanks"):
    """The form; sent, the page `done`, or the form again with what refused it and what was
    typed. Sending counts against the rate limit `limit`."""
    context = {**(context or {}), "form": form}
    if request.method != "POST":
        return render(request, template, context)
    if (retry_after := over_limit(request, limit)) is not None:
        return too_many(request, template, context, retry_after)
    if not form.is_valid():
        return render(request, template, context, status=400)
    form.save()
    return redirect(done)


def too_many(request, template, context, retry_after):
    """The form again, with what the reader typed and when they may send it."""
    context = {**context, "retry_after": retry_after}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def report_thanks(request):
    return render(request, "initiatives/report_thanks.html")
