"""Staff who made recorded edits are deactivated, never deleted: the history names them."""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin
from django.db.models import ProtectedError
from simple_history.models import HistoricalChanges


def edit_records():
    """(model, user field) of every record of who edited what: the history tables, the admin log."""
    histories = [
        (model, "history_user")
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
        and any(field.name == "history_user" for field in model._meta.fields)
    ]
    return [*histories, (LogEntry, "user")]


def recorded_edits(users):
    """What the records say these users did, as lines for the admin's "protected" list."""
    edits = []
    for model, user_field in edit_records():
        if count := model._default_manager.filter(**{f"{user_field}__in": users}).count():
            edits.append(f"{count} × {model._meta.verbose_name_plural}")
    return edits


class StaffUserAdmin(UserAdmin):
    """Accounts that made recorded edits cannot be deleted, only deactivated: history names them."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, perms_needed, [*protected, *recorded_edits(objs)]


def refuse_to_delete_editors(sender, instance, **kwargs):
    if edits := recorded_edits([instance]):
        raise ProtectedError(
            f"{instance} made recorded edits ({', '.join(edits)}); deactivate the account instead.",
            set(),
        )
