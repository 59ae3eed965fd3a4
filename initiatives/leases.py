"""A lease on a named job, held in the database so that it works on SQLite and PostgreSQL alike,
and across machines: two overlapping runs of `check_sources` (cron or a systemd timer starting
one while the previous one still runs) must not both check.

A run takes the lease for a while and renews it as it goes; a run that is killed leaves a lease
that simply expires. Taking and renewing are conditional UPDATEs, atomic on either database.
"""

import contextlib
import uuid

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone


class LeaseHeld(Exception):
    def __init__(self, name, until):
        self.name, self.until = name, until
        super().__init__(f"{name} is held by another run until {until:%Y-%m-%d %H:%M:%S %Z}.")


class LeaseLost(Exception):
    """Another run took the lease after this one let it expire."""


class Lease(models.Model):
    name = models.CharField(max_length=100, unique=True)
    holder = models.CharField(max_length=32, blank=True, default="")
    expires_at = models.DateTimeField()

    def __str__(self):
        return self.name

    @classmethod
    @contextlib.contextmanager
    def held(cls, name, duration):
        """`with Lease.held("check_sources", timedelta(minutes=15)) as lease:` ... `lease.renew()`
        now and then; raises LeaseHeld if another run holds it."""
        holder = uuid.uuid4().hex
        now = timezone.now()
        with contextlib.suppress(IntegrityError), transaction.atomic():
            cls.objects.create(name=name, expires_at=now)
        free = Q(expires_at__lte=now) | Q(holder=holder)
        if not cls.objects.filter(free, name=name).update(holder=holder, expires_at=now + duration):
            raise LeaseHeld(name, cls.objects.get(name=name).expires_at)
        handle = Handle(name, holder, duration)
        try:
            yield handle
        finally:
            cls.objects.filter(name=name, holder=holder).update(
                holder="", expires_at=timezone.now()
            )


class Handle:
    def __init__(self, name, holder, duration):
        self.name, self.holder, self.duration = name, holder, duration

    def renew(self):
        expires_at = timezone.now() + self.duration
        if not Lease.objects.filter(name=self.name, holder=self.holder).update(
            expires_at=expires_at
        ):
            raise LeaseLost(self.name)
