"""The filters of the facilitators' index, /facilitators/: by country, by network, by name.

Links spell countries as the finder does (`?country=be`) and networks by slug; a network lists
its current members. A value the directory does not know is left out, with a notice. Each option
counts the facilitators that choosing it would list, given the other filters.
"""

import dataclasses

import django_filters
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_filters.fields import ModelChoiceField

from networks.models import Country, Facilitator, Network, current_membership
from probono.i18n import collation_key

MAX_SEARCH = 100
# In their canonical order.
PARAMETERS = ["country", "network", "q", "page"]


def printable(text):
    return "".join(char for char in text if char.isprintable())


class LowerCaseChoiceField(forms.ChoiceField):
    """Country codes in any case, as people type them: `?country=BE` is Belgium."""

    def to_python(self, value):
        return super().to_python(value).strip().lower()

    def valid_value(self, value):
        return bool(countries.alpha2(value.upper()))


class CountryFilter(django_filters.ChoiceFilter):
    field_class = LowerCaseChoiceField


class SlugField(ModelChoiceField):
    """A row by its slug; anything that is no slug is refused before it reaches the database,
    where PostgreSQL would reject a NUL byte with an error."""

    def to_python(self, value):
        if value and not validators.slug_re.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SlugFilter(django_filters.ModelChoiceFilter):
    field_class = SlugField


@dataclasses.dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


class FacilitatorListFilter(django_filters.FilterSet):
    country = CountryFilter(label=gettext_lazy("Country"), method="in_country")
    network = SlugFilter(
        label=gettext_lazy("Network"),
        queryset=Network.objects.all(),
        to_field_name="slug",
        method="current_members_of",
    )
    q = django_filters.CharFilter(label=gettext_lazy("Name"), method="named", max_length=MAX_SEARCH)

    class Meta:
        model = Facilitator
        fields = []

    def in_country(self, queryset, name, code):
        return queryset.in_country(code.upper())

    def named(self, queryset, name, text):
        return queryset.named(text)

    def current_members_of(self, queryset, name, network):
        return queryset.current_members_of(network)

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
        kept = Q(facilitator__in=self.filtered_without("country"))
        counts = (
            Facilitator.countries.through.objects.values_list("country")
            .annotate(count=Count("facilitator", filter=kept))
            .order_by()
        )
        chosen = self.chosen.get("country", "")
        options = [
            Option(code.lower(), Country(code=code).name, count, code.lower() == chosen)
            for code, count in counts
        ]
        return sorted(options, key=lambda option: collation_key(option.label))

    def network_options(self):
        """Every network, by name, with its current members that the other filters keep."""
        kept = Q(memberships__facilitator__in=self.filtered_without("network"))
        counted = kept & current_membership("memberships__")
        networks = Network.objects.annotate(count=Count("memberships", filter=counted))
        chosen = self.chosen.get("network")
        options = [
            Option(network.slug, network.name, network.count, network == chosen)
            for network in networks
        ]
        return sorted(options, key=lambda option: collation_key(option.label))

    def notices(self):
        """One sentence for each value of the link that was left out."""
        notices = []
        for name in self.form.errors:
            value = printable(self.data.get(name, ""))[:40]
            if name == "q":
                notice = _("Ignored %(name)s “%(value)s”, which is not valid.")
            else:
                notice = _("Ignored %(name)s “%(value)s”, which the directory does not know.")
            notices.append(notice % {"name": name, "value": value})
        return notices

    def redirect_url(self, request, page):
        """The canonical address when the request spelled the same valid filters otherwise
        (`?country=BE`, the form's empty fields); None when it is that address, or when a
        notice has to say what was left out. Other parameters (utm_source...) are let be."""
        if self.notices():
            return None
        canonical = self.querystring(page)
        spelled = [
            (name, value)
            for name, values in request.GET.lists()
            if name in PARAMETERS
            for value in values
        ]
        return None if canonical.lstrip("?") == urlencode(spelled) else request.path + canonical

    def querystring(self, page=1):
        """The canonical query of the valid filters: country, network, q, then page."""
        query = QueryDict(mutable=True)
        for name, value in self.chosen.items():
            query[name] = value.slug if isinstance(value, Network) else value
        if page > 1:
            query["page"] = page
        return f"?{query.urlencode()}" if query else ""
