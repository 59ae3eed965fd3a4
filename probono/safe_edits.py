"""Edits in the admin are whole: each request's writes commit together, so readers see all of
them or none, published once (`initiatives.changes`)."""

from django.db import transaction


class SafeEditsAdmin:
    """For every ModelAdmin of the directory. Django's add and change views already run in one
    transaction; django-simple-history's revert view does not."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)
