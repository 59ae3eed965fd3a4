"""Keep each initiative's search document in step with what it is found by."""

from initiatives import search
from initiatives.models import Initiative


def initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh(Initiative.objects.filter(pk=instance.pk))


def initiative_tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Initiative):
        search.refresh(Initiative.objects.filter(pk=instance.pk))


def facilitator_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        search.refresh(Initiative.objects.filter(facilitator=instance))
