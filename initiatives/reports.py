"""The readers' pages: report a problem with an entry, propose an initiative, and the thanks.

The forms are never kept by the page cache (never_cache marks them private) and they alone set
the CSRF cookie: readers who only browse get no cookie. POST, then redirect to the thanks.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from initiatives.models import Correction, Initiative
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
    form = CorrectionForm(request.POST if request.method == "POST" else None, instance=correction)
    context = {"entry": entry, "form": form}
    if request.method != "POST":
        return render(request, "initiatives/report_form.html", context)
    if (retry_after := over_limit(request, LIMIT)) is not None:
        return too_many(request, "initiatives/report_form.html", context, retry_after)
    if not form.is_valid():
        return render(request, "initiatives/report_form.html", context, status=400)
    form.save()
    return redirect("report_thanks")


@never_cache
def propose_initiative(request):
    form = ProposalForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method != "POST":
        return render(request, "initiatives/propose_form.html", context)
    if (retry_after := over_limit(request, LIMIT)) is not None:
        return too_many(request, "initiatives/propose_form.html", context, retry_after)
    if not form.is_valid():
        return render(request, "initiatives/propose_form.html", context, status=400)
    proposal = form.save(commit=False)
    proposal.language = get_language()
    proposal.save()
    form.save_m2m()
    return redirect("report_thanks")


def too_many(request, template, context, retry_after):
    """The form again, with what the reader typed and when they may send it."""
    context = {**context, "retry_after": retry_after}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def report_thanks(request):
    return render(request, "initiatives/report_thanks.html")
