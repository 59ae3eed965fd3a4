"""What an editor's decision on a reader's report does to the directory.

Accepting a correction may apply a value to one field of its entry, and marks the entry verified
by reader correction; accepting a proposal makes a draft initiative of it, never published.
Entries are saved as the admin saves them: conflict-safe (probono.safe_edits), one version in
their history with a reason that names the report (probono.history).
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from initiatives.corrections import ReportStatus
from initiatives.models import Initiative, Source
from initiatives.slugs import free_slug
from networks.models import Facilitator
from probono.history import finish_entry, start_entry
from probono.verification import Method

# The kinds of field a value typed in the admin can be applied to.
APPLICABLE = (
    models.CharField,
    models.TextField,
    models.URLField,
    models.DateField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
)
# Fields a correction never sets: addresses, workflow and bookkeeping.
NEVER_APPLIED = {
    "slug",
    "status",
    "language",
    "search_document",
    "verification_method",
    "start_precision",
    "end_precision",
    "participants_unit",
}


def applicable_fields(model):
    """(name, label) of the fields of `model` a correction may set; for a translated field,
    each language's column ("title [fr]"), not the untranslated one."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = {}
    return [
        (field.name, str(field.verbose_name))
        for field in model._meta.concrete_fields
        if isinstance(field, APPLICABLE)
        and field.editable
        and not isinstance(field, models.DateTimeField)
        and field.name not in NEVER_APPLIED
        and field.name not in translated
    ]


def reason_for(correction):
    return _("Reader correction #%(number)s") % {"number": correction.pk}


def save_entry(entry, user, reason, update_fields=None):
    """Save `entry` as one version of its history, by `user`, with `reason`. Raises
    EditConflict if someone saved it since its revision was read."""
    entry._history_user = user
    start_entry(entry, reason)
    entry.save(update_fields=update_fields)
    finish_entry(entry)


@transaction.atomic
def apply_correction(correction, user, value, revision):
    """Set the correction's field of its entry to `value` (already cleaned), as of the entry's
    `revision`, and mark the entry verified by reader correction."""
    entry = type(correction.entry)._default_manager.get(pk=correction.entry.pk)
    entry.revision = revision
    setattr(entry, correction.applied_field, value)
    entry.verify(user, Method.READER)
    save_entry(entry, user, reason_for(correction))
    correction.applied = True
    correction.handle(user, ReportStatus.ACCEPTED)
    correction.save()
    return entry


@transaction.atomic
def accept_and_verify(correction, user):
    """Accept without changing the entry's facts: they were checked, so the entry is verified."""
    entry = type(correction.entry)._default_manager.get(pk=correction.entry.pk)
    entry.verify(user, Method.READER)
    verified = ["last_verified_on", "last_verified_by", "verification_method"]
    save_entry(entry, user, reason_for(correction), update_fields=verified)
    correction.handle(user, ReportStatus.ACCEPTED)
    correction.save()
    return entry


@transaction.atomic
def make_draft(proposal, user):
    """A draft initiative of the proposal, with its source as primary source; the proposal is
    accepted and linked to it."""
    language = proposal.language if proposal.language in ("en", "fr") else "en"
    led_by = Facilitator.objects.filter(name__iexact=proposal.facilitator_name.strip()).first()
    initiative = Initiative(
        slug=free_slug(Initiative.objects.all(), proposal.title),
        status=Initiative.Status.DRAFT,
        language=language,
        kind=proposal.kind,
        started_on=proposal.started_on,
        ended_on=proposal.ended_on,
        facilitator=led_by,
        other_organisations="" if led_by else proposal.facilitator_name,
        **{
            f"title_{language}": proposal.title,
            f"summary_{language}": proposal.summary,
            f"description_{language}": proposal.description,
        },
    )
    initiative._history_user = user
    start_entry(initiative, _("Proposed by a reader (#%(number)s)") % {"number": proposal.pk})
    initiative.save()
    initiative.countries.set(proposal.countries.all())
    finish_entry(initiative)
    today = timezone.localdate()
    Source.objects.create(
        initiative=initiative, url=proposal.source_url, accessed_on=today, is_primary=True
    )
    if proposal.facilitator_website and not led_by:
        Source.objects.create(
            initiative=initiative,
            url=proposal.facilitator_website,
            title=proposal.facilitator_name,
            accessed_on=today,
            order=1,
        )
    proposal.draft = initiative
    proposal.handle(user, ReportStatus.ACCEPTED)
    proposal.save()
    return initiative
