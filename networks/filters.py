"""The filters of the facilitators' index, /facilitators/: by country, by network, by name.

Links spell countries as the finder does (`?country=be`) and networks by slug; a value the
directory does not know is left out, with a notice. Each option counts the facilitators that
choosing it would list, given the other filters.
"""

import dataclasses

import django_filters
from django import forms
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.models import Country, Facilitator, Network
from probono.i18n import collation_key

MAX_SEARCH = 100


def printable(text):
    return "".join(char for char in text if char.isprintable())


class LowerCaseChoiceField(forms.ChoiceField):
    """Country codes in any case, as people type them: `?country=BE` is Belgium."""

    def to_python(self, value):
        return super().to_python(value).strip().lower()

    def valid_value(self, value):
        return len(value) == 2 and Country(code=value.upper()).name != value.upper()


class CountryFilter(django_filters.ChoiceFilter):
    field_class = LowerCaseChoiceField


@dataclasses.dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


class FacilitatorListFilter(django_filters.FilterSet):
    country = CountryFilter(label=gettext_lazy("Country"), method="in_country")
    network = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Network"),
        queryset=Network.objects.all(),
        to_field_name="slug",
        field_name="networks",
    )
    q = django_filters.CharFilter(label=gettext_lazy("Name"), method="named")

    class Meta:
        model = Facilitator
        fields = []

    def in_country(self, queryset, name, code):
        return queryset.in_country(code.upper())

    def named(self, queryset, name, text):
        return queryset.named(text[:MAX_SEARCH])

    # What the page shows besides the rows

    def filtered_without(self, name):
        """The facilitators every filter but `name` keeps: what its options count."""
        queryset = self.queryset.all()
        for other, value in self.form.cleaned_data.items():
            if other != name:
                queryset = self.filters[other].filter(queryset, value)
        return queryset

    @property
    def chosen(self):
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def country_options(self):
        """Every country with a facilitator, by name, with its count given the other filters."""
        through = Facilitator.countries.through.objects
        counts = dict(
            through.filter(facilitator__in=self.filtered_without("country"))
            .values_list("country")
            .annotate(count=Count("*"))
            .order_by()
        )
        every = through.values_list("country", flat=True).distinct().order_by()
        chosen = self.chosen.get("country", "")
        options = [
            Option(code.lower(), Country(code=code).name, counts.get(code, 0), code.lower() == chosen)
            for code in every
        ]
        return sorted(options, key=lambda option: collation_key(option.label))

    def network_options(self):
        """Every network, by name, with its count given the other filters."""
        kept = Q(memberships__facilitator__in=self.filtered_without("network"))
        networks = Network.objects.annotate(count=Count("memberships", filter=kept))
        chosen = self.chosen.get("network")
        options = [
            Option(network.slug, network.name, network.count, network == chosen)
            for network in networks
        ]
        return sorted(options, key=lambda option: collation_key(option.label))

    def notices(self):
        """One sentence for each value of the link that was left out."""
        return [
            _("Ignored %(name)s “%(value)s”, which the directory does not know.")
            % {"name": name, "value": printable(self.data.get(name, ""))[:40]}
            for name in self.form.errors
        ]

    def redirect_url(self, request, page):
        """The canonical address, when the request spelled the same valid filters otherwise
        (`?country=BE`, the empty fields of the form); None when it is that address, or when
        a notice has to say what was left out."""
        canonical = self.querystring(page)
        if self.notices() or canonical.lstrip("?") == request.META.get("QUERY_STRING", ""):
            return None
        return request.path + canonical

    def querystring(self, page=1):
        """The canonical query of the valid filters: country, network, q, then page."""
        query = QueryDict(mutable=True)
        for name, value in self.chosen.items():
            query[name] = value.slug if isinstance(value, Network) else value
        if page > 1:
            query["page"] = page
        return f"?{query.urlencode()}" if query else ""

