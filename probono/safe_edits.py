"""Edits that never silently overwrite someone else's, and that commit whole.

Each editable entry carries a revision number, raised by every save. A save states the revision
it started from and claims the next one with a conditional UPDATE: if someone else saved in
between, nothing is written and `EditConflict` says so. The admin's forms, its bulk actions and
history reverts carry the revision the editor saw; imports carry the revisions of their preview
(`networks.resources`). The message names who changed what and when, from the entry's history.
"""

import itertools

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.translator import NotRegistered, translator

from probono.history import OneEntryPerSaveAdmin, ReasonedForm

SEEN_REVISION = "seen_revision"


class EditConflict(Exception):
    def __init__(self, obj, since):
        self.obj, self.since = obj, since
        super().__init__(changes_since(obj, since))


class Revisioned(models.Model):
    revision = models.PositiveIntegerField(
        gettext_lazy("revision"),
        default=1,
        db_default=1,
        editable=False,
        help_text=gettext_lazy("Raised by every save, so that no edit overwrites another."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        with transaction.atomic():
            # Zero rows: saved by someone else since, or deleted (never recreated by this save).
            claimed = type(self)._base_manager.filter(pk=self.pk, revision=self.revision)
            if not claimed.update(revision=F("revision") + 1):
                raise EditConflict(self, self.revision)
            self.revision += 1
            return super().save(*args, **kwargs)

    def stored_revision(self, lock=False):
        stored = type(self)._base_manager.filter(pk=self.pk)
        if lock:
            stored = stored.select_for_update()
        return stored.values_list("revision", flat=True).first()


def changes_since(obj, revision):
    """ "Edith changed this initiative on 5 December 2026 at 14:02 (title, countries)." for
    every save after `revision`, as its history recorded them."""
    opts = obj._meta
    history = getattr(type(obj), "history", None)
    records = history.filter(id=obj.pk, revision__gt=revision) if history else None
    records = list(records.order_by("history_date")) if records is not None else []
    sentences = []
    for record, following in itertools.pairwise([*records, None]):
        who = record.history_user.get_username() if record.history_user else _("Someone")
        when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
        previous = record.prev_record
        fields = [] if previous is None else record.diff_against(previous).changed_fields
        names = [label(opts, name) for name in fields if name not in unnamed(type(obj))]
        names += parts_changed(obj, record, following)
        if record.history_type == "-":
            sentences.append(_("%(who)s deleted it on %(when)s.") % {"who": who, "when": when})
        elif names:
            sentences.append(
                _("%(who)s changed %(fields)s on %(when)s.")
                % {"who": who, "fields": get_text_list(names, _("and")), "when": when}
            )
        else:
            sentences.append(_("%(who)s saved it on %(when)s.") % {"who": who, "when": when})
    return " ".join(sentences) or _("Someone else saved it in the meantime.")


def parts_changed(obj, record, following):
    """The names of the parts of `obj` with a history of their own (an initiative's sources,
    `history_parts`) that changed with `record`: the admin saves them right after the entry,
    before any later save of it."""
    names = []
    for name in getattr(type(obj), "history_parts", []):
        relation = obj._meta.get_field(name)
        changes = relation.related_model.history.filter(
            **{relation.field.attname: obj.pk, "history_date__gte": record.history_date}
        )
        if following is not None:
            changes = changes.filter(history_date__lt=following.history_date)
        if changes.exists():
            names.append(str(relation.related_model._meta.verbose_name_plural))
    return names


def unnamed(model):
    """Fields not worth naming: the revision, and the untranslated column of a translated
    field, whose language columns (title [en], title [fr]) say what changed."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = {}
    return {"revision", *translated}


def label(opts, name):
    try:
        return str(opts.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class RevisionedForm(ReasonedForm):
    """Carries the revision the editor opened; refuses to save over a later one, keeping the
    editor's input on the form, and lets a second save, made knowingly, go through."""

    opened_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A revert's instance is built from its history: it is the current one that counts.
            self.fields["opened_revision"].initial = self.instance.stored_revision()

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        # Locked until the admin's transaction ends, so that no save slips in before ours.
        current = self.instance.stored_revision(lock=True)
        opened = cleaned_data.get("opened_revision")
        if opened is not None and opened != current:
            self.add_error(
                None,
                _(
                    "This %(kind)s changed since you opened it. %(changes)s Your changes are "
                    "still in the form, not saved: compare them with the current version "
                    "(History, in another tab), then save again to keep yours."
                )
                % {
                    "kind": self.instance._meta.verbose_name,
                    "changes": changes_since(self.instance, opened),
                },
            )
            # The next save, made knowing this, is from the current revision.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_revision")] = current
        self.instance.revision = current
        return cleaned_data


class SafeEditsAdmin(OneEntryPerSaveAdmin):
    """For every ModelAdmin of a Revisioned model: its form carries the revision the editor
    opened, its bulk actions the revision of each row the editor saw, and reverts from the
    history commit whole, like Django's add and change views; each save is one version in the
    history, with the editor's reason (probono.history)."""

    form = RevisionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "opened_revision"]}), *rest]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def action_checkbox(self, obj):
        return format_html(
            '{}<input type="hidden" name="{}" value="{}:{}">',
            super().action_checkbox(obj),
            SEEN_REVISION,
            obj.pk,
            obj.revision,
        )

    def unchanged_since_seen(self, request, queryset, refused):
        """The rows of `queryset`, locked, that nobody changed since the editor saw the list;
        for each other one, an error message that starts with `refused` (it takes a `title`)."""
        seen = {}
        for value in request.POST.getlist(SEEN_REVISION):
            pk, _separator, revision = value.partition(":")
            if pk.isdigit() and revision.isdigit():
                seen[int(pk)] = int(revision)
        # Locked by id, in one order: the list's query may join or deduplicate rows.
        rows = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        unchanged = []
        for obj in rows.select_for_update().order_by("pk"):
            if obj.pk in seen and obj.revision != seen[obj.pk]:
                message = f"{refused % {'title': obj}} {changes_since(obj, seen[obj.pk])}"
                self.message_user(request, message, messages.ERROR)
            else:
                unchanged.append(obj)
        return unchanged
