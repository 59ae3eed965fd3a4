"""Verification in the admin: the re-verification queue, its filter, "mark verified" from the
list and from the form (probono.verification holds the rules)."""

from django.apps import apps
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from probono.safe_edits import RevisionedForm
from probono.verification import Method, due_for_verification

NOT_VERIFIED_CHANGED = _("Not marked verified: “%(title)s” changed since you opened the list.")

VERIFICATION_FIELDSET = (
    _("Verification"),
    {"fields": [("last_verified_on", "verification_method"), "last_verified_by"]},
)

# What puts an entry in the queue, as the list filter spells it, and for which models.
REASONS = {
    "due": _("Not verified for 12 months"),
    "dead_source": _("A source link is dead"),
    "corrections": _("Open corrections from readers"),
}


@admin.display(description=_("last verified"), ordering="last_verified_on")
def last_verified(entry):
    return (
        date_format(entry.last_verified_on, "SHORT_DATE_FORMAT") if entry.last_verified_on else None
    )


def needing(queryset, reason):
    """The entries of `queryset` in the queue for `reason`."""
    if reason == "due":
        return queryset.filter(due_for_verification())
    if reason == "dead_source":
        return queryset.with_source_links("dead")
    if reason == "corrections":
        corrections = apps.get_model("initiatives", "Correction").objects.filter(status="new")
        # A correction points at its entry by a key named after the entry's model.
        return queryset.filter(pk__in=corrections.values(queryset.model._meta.model_name))
    return queryset


def reasons_for(model):
    """The queue's reasons that apply to `model`: dead sources only where it has sources."""
    return [reason for reason in REASONS if reason != "dead_source" or hasattr(model, "sources")]


class VerificationFilter(admin.SimpleListFilter):
    """The re-verification queue: each reason lists its entries, oldest verification first."""

    title = _("re-verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [(reason, REASONS[reason]) for reason in reasons_for(model_admin.model)]

    def queryset(self, request, queryset):
        if self.value() in reasons_for(queryset.model):
            return needing(queryset, self.value())
        return queryset


class VerifiedForm(RevisionedForm):
    """A verification date set or changed in the form says how the facts were checked: a new
    entry is written from its sources, so that is the method offered first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and "verification_method" in self.fields:
            self.fields["verification_method"].initial = Method.SOURCES

    def clean(self):
        cleaned_data = super().clean()
        changed = {"last_verified_on", "verification_method"} & set(self.changed_data)
        if (
            changed
            and cleaned_data.get("last_verified_on")
            and not cleaned_data.get("verification_method")
        ):
            self.add_error("verification_method", _("Say how the facts were verified."))
        return cleaned_data


class VerificationAdmin:
    """For the ModelAdmin of a `Verified` model. The queue's filter orders its entries oldest
    verification first; the editor who sets a verification in the form is recorded as its
    author."""

    verification_fields = ["last_verified_on", "verification_method", "last_verified_by"]

    def get_list_filter(self, request):
        return [VerificationFilter, *super().get_list_filter(request)]

    def get_ordering(self, request):
        if request.GET.get(VerificationFilter.parameter_name) and "o" not in request.GET:
            return [F("last_verified_on").asc(nulls_first=True), "pk"]
        return super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "last_verified_by"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            for name in ("mark_verified_sources", "mark_verified_organisation"):
                actions[name] = self.get_action(name)
        return actions

    def save_model(self, request, obj, form, change):
        if {"last_verified_on", "verification_method"} & set(form.changed_data):
            obj.last_verified_by = request.user
        super().save_model(request, obj, form, change)

    def mark_verified(self, request, queryset, method):
        refused = NOT_VERIFIED_CHANGED
        with transaction.atomic():
            entries = self.unchanged_since_seen(request, queryset, refused)
            for entry in entries:
                entry.verify(request.user, method)
                entry.save()
        message = ngettext(
            "Marked %(count)d entry verified today (%(method)s).",
            "Marked %(count)d entries verified today (%(method)s).",
            len(entries),
        )
        method_label = Method(method).label
        self.message_user(
            request, message % {"count": len(entries), "method": method_label}, messages.SUCCESS
        )

    @admin.action(description=_("Mark verified today: sources checked"))
    def mark_verified_sources(self, request, queryset):
        self.mark_verified(request, queryset, Method.SOURCES)

    @admin.action(description=_("Mark verified today: confirmed by the organisation"))
    def mark_verified_organisation(self, request, queryset):
        self.mark_verified(request, queryset, Method.ORGANISATION)


VERIFIED_MODELS = ["initiatives.Initiative", "networks.Facilitator", "networks.Network"]


def verification_queue(request):
    """The queue at a glance: how many entries of each kind wait for each reason, each count a
    link to the list of them, oldest verification first."""
    rows = []
    for label in VERIFIED_MODELS:
        model = apps.get_model(label)
        if not request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            continue
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        counts = []
        for reason in REASONS:
            if reason in reasons_for(model):
                count = needing(model._default_manager.all(), reason).count()
                counts.append((count, f"{changelist}?verification={reason}"))
            else:
                counts.append(None)
        rows.append((model._meta.verbose_name_plural, counts))
    context = {
        **admin.site.each_context(request),
        "title": _("Re-verification queue"),
        "reasons": list(REASONS.values()),
        "rows": rows,
    }
    return TemplateResponse(request, "admin/verification_queue.html", context)
