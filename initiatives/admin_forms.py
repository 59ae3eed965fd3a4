"""The initiative's form in the admin: tags by autocomplete, drafts that need only a title,
publication that needs the rest, and its sources inline."""

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from initiatives.models import Initiative, Source
from initiatives.slugs import free_slug
from probono.verification_admin import VerifiedForm


class TagsField(forms.ModelMultipleChoiceField):
    """Tags picked with the admin's autocomplete; a name typed that no tag has yet is a new tag."""

    def clean(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        chosen = [str(item).strip() for item in value or [] if str(item).strip()]
        existing = dict(
            Tag.objects.filter(pk__in=[item for item in chosen if item.isdigit()]).values_list(
                "pk", "name"
            )
        )
        return [existing.get(int(item), item) if item.isdigit() else item for item in chosen]

    def prepare_value(self, value):
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return [getattr(tag, "pk", tag) for tag in value]
        return super().prepare_value(value)


class TagsWidget(AutocompleteSelectMultiple):
    """Shows the new names typed in a form sent back with errors, beside the existing tags."""

    def optgroups(self, name, value, attr=None):
        known = [item for item in value if str(item).isdigit()]
        groups = super().optgroups(name, known, attr)
        options = groups[0][1]
        for item in value:
            if item and not str(item).isdigit():
                options.append(self.create_option(name, item, item, True, len(options)))
        return groups


class InitiativeForm(VerifiedForm):
    """A draft needs only a title, in either language (the model's clean() asks for one);
    publishing needs the rest (Initiative.missing_for_publication), checked here, where the
    countries chosen are known, and by SourceFormSet for the sources."""

    tags = TagsField(
        queryset=Tag.objects.all(),
        required=False,
        # data-tags lets the autocomplete (Select2) accept a name no tag has yet.
        widget=TagsWidget(
            Initiative._meta.get_field("tags"), admin.site, attrs={"data-tags": "true"}
        ),
        help_text=_("Pick existing tags, or type a new one and press Enter."),
    )

    class Meta:
        model = Initiative
        fields = ["tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title_en", "slug"):
            if name in self.fields:
                self.fields[name].required = False
        if "slug" in self.fields:
            self.fields["slug"].help_text = _("Left empty, it is made from the title.")

    def clean_slug(self):
        """The slug typed, or one made from the title (the admin's JavaScript fills it in as
        the title is typed; without it, or if it is cleared, this does)."""
        if slug := self.cleaned_data.get("slug"):
            return slug
        title = self.data.get(self.add_prefix("title_en")) or self.data.get(
            self.add_prefix("title_fr"), ""
        )
        return free_slug(Initiative.objects.exclude(pk=self.instance.pk), title)

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status", self.instance.status)
        if status != Initiative.Status.PUBLISHED or self.errors:
            return cleaned_data
        # The entry with this form's values; the instance itself takes them only after clean().
        proposed = copy.copy(self.instance)
        for field in Initiative._meta.concrete_fields:
            if field.name in cleaned_data:
                setattr(proposed, field.name, cleaned_data[field.name])
        missing = proposed.missing_for_publication(
            countries=cleaned_data.get("countries"), sources=["checked by SourceFormSet"]
        )
        for field, what in missing.items():
            if field in self.fields:
                self.add_error(field, _("Publishing needs %(what)s.") % {"what": what})
        if missing:
            self.add_error(
                None,
                _("Not published yet: it still needs %(missing)s. Save it as a draft, or add them.")
                % {"missing": get_text_list(list(missing.values()), _("and"))},
            )
        return cleaned_data


class SourceForm(forms.ModelForm):
    """Primary is checked across the formset (SourceFormSet), not row by row against the
    stored rows: moving the primary mark from one source to another is one edit."""

    is_primary = forms.BooleanField(
        label=Source._meta.get_field("is_primary").verbose_name,
        help_text=Source._meta.get_field("is_primary").help_text,
        required=False,
    )

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "accessed_on", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("is_primary", self.instance.is_primary)
        # A source added now was most likely read today.
        self.fields["accessed_on"].initial = timezone.localdate

    def clean(self):
        cleaned_data = super().clean()
        self.instance.is_primary = cleaned_data.get("is_primary", False)
        return cleaned_data


class SourceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # Stored sources that the form left out (a form sent without them) stay as they are.
        if self.instance.pk:
            shown = [form.instance.pk for form in self.initial_forms]
            kept += self.instance.sources.exclude(pk__in=shown)
        primaries = sum(source.is_primary for source in kept)
        if primaries > 1:
            raise ValidationError(_("Mark only one source as primary."))
        if kept and not primaries:
            raise ValidationError(_("Mark one source as primary."))
        if not kept and self.instance.status == Initiative.Status.PUBLISHED:
            raise ValidationError(_("A published initiative needs a source."))

    def save(self, commit=True):
        # The one primary source a row at a time: the mark leaves the old one before it reaches
        # the new one, which the database's constraint would otherwise refuse.
        demoted = [form.instance.pk for form in self.initial_forms if not form.instance.is_primary]
        Source.objects.filter(pk__in=demoted, is_primary=True).update(is_primary=False)
        return super().save(commit)


class SourceInline(admin.StackedInline):
    model = Source
    form = SourceForm
    formset = SourceFormSet
    # The form's own field, not the model's (SourceForm).
    exclude = ["is_primary"]
    extra = 0
    fields = [
        ("url", "is_primary"),
        ("title", "publisher"),
        ("published_on", "accessed_on"),
        "order",
        ("link_check", "archived_copy"),
    ]
    # What `manage.py check_sources` found: shown, never edited (docs/sources.md).
    readonly_fields = ["link_check", "archived_copy"]

    @admin.display(description=_("link check"))
    def link_check(self, source):
        if not source.checked_at:
            return source.get_link_status_display()
        details = [str(source.http_status or source.last_error or "")]
        if source.failure_count:
            count = source.failure_count
            details.append(
                ngettext("%(count)s failure counted", "%(count)s failures counted", count)
                % {"count": count}
            )
        return format_html(
            "{} ({}), {} {}",
            source.get_link_status_display(),
            "; ".join(detail for detail in details if detail),
            _("checked"),
            formats.date_format(timezone.localtime(source.checked_at), "SHORT_DATETIME_FORMAT"),
        )

    @admin.display(description=_("archived copy"))
    def archived_copy(self, source):
        if not source.archive_url:
            return _("None found yet")
        return format_html(
            '<a href="{}" rel="noopener">{}</a>',
            source.archive_url,
            formats.date_format(timezone.localtime(source.archived_at), "SHORT_DATE_FORMAT"),
        )
