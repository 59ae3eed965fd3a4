"""The moderation queue: what readers sent, the new first, and the editors' decisions on it.

Readers' texts and emails are read-only here; an editor decides (accept, reject, spam), and on
a correction's page may apply a value to a field of its entry (initiatives/moderation.py).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from initiatives import moderation
from initiatives.corrections import Correction, Proposal, ReportStatus
from probono.safe_edits import EditConflict, changes_since

DECISIONS = {
    "_accept": ReportStatus.ACCEPTED,
    "_reject": ReportStatus.REJECTED,
    "_spam": ReportStatus.SPAM,
}


KINDS = ["initiative", "facilitator", "network"]


class EntryKindFilter(admin.SimpleListFilter):
    title = _("kind of entry")
    parameter_name = "entry"

    def lookups(self, request, model_admin):
        return [(name, Correction._meta.get_field(name).verbose_name) for name in KINDS]

    def queryset(self, request, queryset):
        if self.value() in KINDS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


class CorrectionModerationForm(forms.ModelForm):
    """The value an editor applies to one field of the entry, checked as that field would be,
    against the entry's revision when the editor opened the correction."""

    applied_field = forms.ChoiceField(label=_("Field to correct"), required=False)
    entry_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Correction
        fields = ["applied_field", "applied_value"]
        widgets = {"applied_value": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "applied_value": _(
                "What the field should say, as you would type it in the entry's own form "
                "(dates as 2021-03-31). “Accept and apply” saves it to the entry."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.instance.entry
        choices = moderation.applicable_fields(type(entry))
        self.fields["applied_field"].choices = [("", "---------"), *choices]
        self.fields["entry_revision"].initial = entry.stored_revision()

    def clean(self):
        cleaned_data = super().clean()
        if "_accept_apply" not in self.data:
            return cleaned_data
        name, raw = cleaned_data.get("applied_field"), cleaned_data.get("applied_value", "")
        if not name:
            self.add_error("applied_field", _("Choose the field to correct."))
            return cleaned_data
        # A copy: the correction's page shows the entry as it is.
        entry = type(self.instance.entry)._default_manager.get(pk=self.instance.entry.pk)
        try:
            value = type(entry)._meta.get_field(name).formfield().clean(raw)
            setattr(entry, name, value)
            others = [field.name for field in entry._meta.fields if field.name != name]
            entry.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.add_error("applied_value", error.messages)
            return cleaned_data
        cleaned_data["value"] = value
        # Locked until the admin's transaction ends, so that no save slips in before ours.
        current = entry.stored_revision(lock=True)
        opened = cleaned_data.get("entry_revision")
        if opened is not None and opened != current:
            self.add_error(
                None,
                _(
                    "The %(kind)s changed since you opened this correction. %(changes)s "
                    "Check it, then accept again."
                )
                % {"kind": entry._meta.verbose_name, "changes": changes_since(entry, opened)},
            )
            self.data = self.data.copy()
            self.data["entry_revision"] = current
        cleaned_data["revision"] = current
        return cleaned_data


class ReportAdmin(admin.ModelAdmin):
    """What the two queues share: read-only readers' fields, the decisions as buttons on the
    change page and as actions on the list."""

    change_form_template = "admin/initiatives/report_change_form.html"
    list_filter = ["status"]
    actions = ["accept", "reject", "mark_as_spam"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # readers send them, through the site's forms

    def decide(self, request, reports, status):
        for report in reports:
            report.handle(request.user, status)
            report.save(update_fields=["status", "handled_by", "handled_at"])
        message = ngettext(
            "%(count)d report marked “%(status)s”.",
            "%(count)d reports marked “%(status)s”.",
            len(reports),
        )
        self.message_user(
            request, message % {"count": len(reports), "status": status.label}, messages.SUCCESS
        )

    @admin.action(description=_("Accept selected"), permissions=["change"])
    def accept(self, request, queryset):
        self.decide(request, list(queryset), ReportStatus.ACCEPTED)

    @admin.action(description=_("Reject selected"), permissions=["change"])
    def reject(self, request, queryset):
        self.decide(request, list(queryset), ReportStatus.REJECTED)

    @admin.action(description=_("Mark selected as spam"), permissions=["change"])
    def mark_as_spam(self, request, queryset):
        self.decide(request, list(queryset), ReportStatus.SPAM)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for button, status in DECISIONS.items():
            if button in request.POST:
                self.decide(request, [obj], status)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["decisions"] = self.decisions(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def decisions(self, request, obj):
        if obj is None or not self.has_change_permission(request, obj):
            return []
        return [("_accept", _("Accept")), ("_reject", _("Reject")), ("_spam", _("Spam"))]


@admin.register(Correction)
class CorrectionAdmin(ReportAdmin):
    form = CorrectionModerationForm
    list_display = ["created_at", "entry_link", "part", "status", "applied"]
    list_filter = ["status", EntryKindFilter, "part", "applied"]
    list_select_related = ["initiative", "facilitator", "network"]
    actions = ["accept", "accept_and_verify", "reject", "mark_as_spam"]
    sent = [
        "entry_link",
        "part",
        "problem",
        "correction",
        "evidence",
        "email",
        "language",
        "created_at",
    ]
    decision = ["status", "handled_by", "handled_at", "applied"]
    readonly_fields = [*sent, *decision]
    fieldsets = [
        (_("What the reader sent"), {"fields": sent}),
        (_("Decision"), {"fields": decision}),
        (_("Correct the entry"), {"fields": ["applied_field", "applied_value", "entry_revision"]}),
    ]

    @admin.display(description=_("entry"))
    def entry_link(self, correction):
        entry = correction.entry
        opts = entry._meta
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        return format_html(
            '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
            opts.verbose_name.capitalize(),
            change,
            entry,
            entry.get_absolute_url(),
            _("public page"),
        )

    @admin.display(description=_("evidence link"))
    def evidence(self, correction):
        if not correction.evidence_url:
            return "-"
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>',
            correction.evidence_url,
            correction.evidence_url,
        )

    def decisions(self, request, obj):
        decisions = super().decisions(request, obj)
        if decisions and self.may_change_entry(request, obj):
            decisions[1:1] = [
                ("_accept_verify", _("Accept and mark the entry verified")),
                ("_accept_apply", _("Accept and apply")),
            ]
        return decisions

    @staticmethod
    def may_change_entry(request, correction):
        opts = correction.entry._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def save_model(self, request, obj, form, change):
        if "_accept_apply" in request.POST or "_accept_verify" in request.POST:
            if not self.may_change_entry(request, obj):
                raise PermissionDenied
            obj.save()
            self.apply(request, obj, form)
            return
        super().save_model(request, obj, form, change)

    def apply(self, request, correction, form):
        try:
            if "_accept_apply" in request.POST:
                entry = moderation.apply_correction(
                    correction,
                    request.user,
                    form.cleaned_data["value"],
                    form.cleaned_data["revision"],
                )
                message = _("“%(entry)s” corrected and marked verified by reader correction.")
            else:
                entry = moderation.accept_and_verify(correction, request.user)
                message = _("“%(entry)s” marked verified by reader correction.")
        except EditConflict as conflict:
            transaction.set_rollback(True)
            self.message_user(request, str(conflict), messages.ERROR)
            return
        self.message_user(request, message % {"entry": entry}, messages.SUCCESS)

    @admin.action(description=_("Accept and mark their entries verified"), permissions=["change"])
    def accept_and_verify(self, request, queryset):
        done = 0
        for correction in queryset.select_related("initiative", "facilitator", "network"):
            if not self.may_change_entry(request, correction):
                self.message_user(
                    request,
                    _("You may not change “%(entry)s”.") % {"entry": correction.entry},
                    messages.ERROR,
                )
                continue
            try:
                moderation.accept_and_verify(correction, request.user)
            except EditConflict as conflict:
                self.message_user(request, str(conflict), messages.ERROR)
                continue
            done += 1
        message = ngettext("%d entry marked verified.", "%d entries marked verified.", done)
        self.message_user(request, message % done, messages.SUCCESS)


@admin.register(Proposal)
class ProposalAdmin(ReportAdmin):
    list_display = ["created_at", "title", "kind", "status", "draft_link"]
    list_filter = ["status", "kind"]
    actions = ["accept_as_draft", "accept", "reject", "mark_as_spam"]
    fieldsets = [
        (
            _("What the reader sent"),
            {
                "fields": [
                    "title",
                    "summary",
                    "kind",
                    "country_names",
                    "started_on",
                    "ended_on",
                    "facilitator_name",
                    "facilitator_website",
                    "source_url",
                    "description",
                    "email",
                    "language",
                    "created_at",
                ]
            },
        ),
        (_("Decision"), {"fields": ["status", "handled_by", "handled_at", "draft_link"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]

    @admin.display(description=_("countries"))
    def country_names(self, proposal):
        return ", ".join(sorted(str(country.name) for country in proposal.countries.all())) or "-"

    @admin.display(description=_("draft made of it"))
    def draft_link(self, proposal):
        if proposal.draft is None:
            return "-"
        url = reverse("admin:initiatives_initiative_change", args=[proposal.draft.pk])
        return format_html('<a href="{}">{}</a>', url, proposal.draft)

    def decisions(self, request, obj):
        decisions = super().decisions(request, obj)
        if decisions and obj.draft is None and request.user.has_perm("initiatives.add_initiative"):
            decisions[0] = ("_accept_draft", _("Accept: make a draft initiative"))
        return decisions

    def response_change(self, request, obj):
        if "_accept_draft" in request.POST:
            if not request.user.has_perm("initiatives.add_initiative") or obj.draft is not None:
                raise PermissionDenied
            draft = moderation.make_draft(obj, request.user)
            return self.to_draft(request, draft)
        return super().response_change(request, obj)

    def to_draft(self, request, draft):
        self.message_user(
            request,
            _("Draft “%(title)s” made: complete it, verify it, then publish it.")
            % {"title": draft},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:initiatives_initiative_change", args=[draft.pk]))

    @admin.action(
        description=_("Accept as draft initiatives"), permissions=["change", "add_initiative"]
    )
    def accept_as_draft(self, request, queryset):
        drafts = [
            moderation.make_draft(proposal, request.user)
            for proposal in queryset.filter(draft=None)
        ]
        if len(drafts) == 1:
            return self.to_draft(request, drafts[0])
        message = ngettext("%d draft initiative made.", "%d draft initiatives made.", len(drafts))
        self.message_user(request, message % len(drafts), messages.SUCCESS)
        return None

    def has_add_initiative_permission(self, request):
        return request.user.has_perm("initiatives.add_initiative")
