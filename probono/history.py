"""One history entry per save, with the editor's reason for it.

An admin save writes the entry, then each of its many-to-many fields, then its inlines; left to
itself django-simple-history records each of those writes as a version of its own ("created",
then "countries changed from nothing", then "sectors changed from nothing"). Between
`start_entry` and `finish_entry` the writes only note that something changed, and the one
version recorded at the end holds every field as saved, many-to-many ones included.
"""

import itertools

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords, ModelChange
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_m2m_reverse_field_name
from taggit.models import Tag

PENDING = "_history_entry_pending"


class PendingEntry:
    def __init__(self):
        self.records = None
        self.history_type = None

    def note(self, records, history_type):
        self.records = records
        # A creation stays one, whatever follows it in the same save.
        self.history_type = self.history_type or history_type


class OneEntryPerSave(HistoricalRecords):
    """The history of a model whose saves may span several writes (`start_entry`)."""

    def post_save(self, instance, created, using=None, **kwargs):
        if (pending := getattr(instance, PENDING, None)) is not None and not kwargs.get("raw"):
            pending.note(self, "+" if created else "~")
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if (pending := getattr(instance, PENDING, None)) is not None:
            if action in ("post_add", "post_remove", "post_clear"):
                pending.note(self, "~")
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)


def start_entry(instance, reason=""):
    """From now on the writes of `instance` make one version, recorded by `finish_entry`."""
    setattr(instance, PENDING, PendingEntry())
    instance._change_reason = reason or None
    # Dated from the start of the save, as the versions of its parts (sources) that follow.
    instance._history_date = timezone.now()


def finish_entry(instance):
    """Record the version the writes since `start_entry` made, if they changed anything."""
    pending = instance.__dict__.pop(PENDING, None)
    if pending is not None and pending.records is not None:
        pending.records.create_historical_record(instance, pending.history_type)
    instance.__dict__.pop("_history_date", None)


class TaggedHistory(models.Model):
    """The tags of each version, by name: taggit's relation is not one simple-history follows."""

    tag_names = models.TextField(_("tags"), blank=True, default="", db_default="")

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def keep_tag_names(sender, instance, history_instance, **kwargs):
    if isinstance(history_instance, TaggedHistory) and instance.pk:
        history_instance.tag_names = ", ".join(sorted(instance.tags.names(), key=str.casefold))


class ReasonedForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=100,
        help_text=_(
            "Optional. Kept in the history with this version, e.g. “Dates from the 2021 report”."
        ),
    )


class OneEntryPerSaveAdmin:
    """For the ModelAdmin of a model with `OneEntryPerSave` history: a save, with its
    many-to-many fields and inlines, is one version, which keeps the reason given in the form."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [*fieldsets, (_("History"), {"fields": ["change_reason"]})]

    def save_model(self, request, obj, form, change):
        start_entry(obj, form.cleaned_data.get("change_reason", ""))
        super().save_model(request, obj, form, change)

    # The admin logs a save once all of it is written: after the inlines on the change form,
    # after the many-to-many fields on a revert from the history.
    def log_addition(self, request, obj, message):
        finish_entry(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        finish_entry(obj)
        return super().log_change(request, obj, message)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a revert for anyone who may view the history: the
        # change form's rule holds here too.
        if request.method == "POST" and not self.may_revert(request, object_id):
            raise PermissionDenied
        request.history_version_id = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def may_revert(self, request, object_id):
        return self.has_change_permission(request, self.get_object(request, object_id))

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version_id = getattr(request, "history_version_id", None)
        if version_id is None:
            return form
        version = self.model.history.filter(history_id=version_id).first()
        return form if version is None else with_related_values_of(form, version)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        # The list runs newest first; each version is compared with the one before it.
        for newer, older in itertools.pairwise(historical_records):
            if not isinstance(newer, TaggedHistory) or newer.tag_names == older.tag_names:
                continue
            helper = self.get_historical_record_context_helper(request, newer)
            change = helper.format_delta_change(
                ModelChange("tags", older.tag_names, newer.tag_names)
            )
            newer.history_delta_changes = [
                *getattr(newer, "history_delta_changes", []),
                {"field": change.field, "old": change.old, "new": change.new},
            ]


def related_values(version):
    """The many-to-many values of a version, as a form's initial data: what simple-history's
    own revert form leaves at the current ones."""
    values = {}
    for field in version.instance_type._meta.many_to_many:
        if (rows := getattr(version, field.name, None)) is not None:
            values[field.name] = list(
                rows.values_list(get_m2m_reverse_field_name(field), flat=True)
            )
    if isinstance(version, TaggedHistory):
        names = [name for name in version.tag_names.split(", ") if name]
        known = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        values["tags"] = [known.get(name, name) for name in names]
    return values


def with_related_values_of(form_class, version):
    """`form_class`, showing the many-to-many values of `version`: a revert restores them."""
    initial = related_values(version)

    class VersionForm(form_class):
        def __init__(self, *args, **kwargs):
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
            super().__init__(*args, **kwargs)

    return VersionForm
