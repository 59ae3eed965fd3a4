from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from initiatives.models import Initiative
from initiatives.views import paginate
from networks.models import Country, Facilitator, Membership, Network


def network_list(request):
    networks = Network.objects.annotate(member_count=Count("memberships"))
    return render(request, "networks/network_list.html", {"networks": networks})


def network_detail(request, slug):
    network = get_object_or_404(Network, slug=slug)
    memberships = network.memberships.select_related("facilitator").order_by("facilitator__name")
    members = [membership.facilitator for membership in memberships]
    covered = Country.objects.filter(facilitators__memberships__network=network).distinct()
    initiatives = Initiative.objects.published().in_network(network).for_listing().newest_first()
    context = {
        "network": network,
        "memberships": memberships,
        "member_count": len(members),
        "countries": sorted(covered, key=lambda country: str(country.name)),
        "page": paginate(request, initiatives),
    }
    return render(request, "networks/network_detail.html", context)


def facilitator_list(request):
    facilitators = Facilitator.objects.prefetch_related(
        "countries", Prefetch("memberships", Membership.objects.select_related("network"))
    )
    return render(
        request,
        "networks/facilitator_list.html",
        {"page": paginate(request, facilitators)},
    )


def facilitator_detail(request, slug):
    facilitator = get_object_or_404(
        Facilitator.objects.prefetch_related(
            "countries", Prefetch("memberships", Membership.objects.select_related("network"))
        ),
        slug=slug,
    )
    initiatives = Initiative.objects.published().run_by(facilitator).for_listing().newest_first()
    context = {"facilitator": facilitator, "page": paginate(request, initiatives)}
    return render(request, "networks/facilitator_detail.html", context)
