"""The finder's counts, from the set of published initiatives that has each filter value.

For each value a filter can take (a country, a sector, a tag, a kind...) and for each start and
end year, the ids of the published initiatives that have it, as a bitmap: a Python int whose bit
n stands for initiative n. A view's count, and the count beside each of its options, is then an
AND and a popcount per option (about 5 ms for 1 100 options at 100 000 initiatives), where
grouped queries over every matching initiative took up to seconds, for every view at once after
each write.

The sets live in the database (FacetSet), so that every process, and a flushed cache, finds them,
and each process keeps a copy that it brings up to date by revision. A write queues the
initiatives it touched (FacetIndexQueue) in its own transaction; once it has committed, `refresh`
updates their sets (changes.publish), and a reader that finds the queue not empty does it first,
so that an update cut short by a crash is never lost.
"""

import collections
import datetime
import functools

from django.db import transaction
from django.utils import timezone

from initiatives import search
from initiatives.listing import link_rows
from initiatives.models import FacetIndexQueue, FacetIndexState, FacetSet, Initiative
from networks.models import Membership
from probono.caching import token
from probono.verification import due_day

ALL = "all"
ONGOING = "end:none"
# Keys are a filter's name and a value as stored ("country:BE", "kind:hackathon"), or a row's id
# ("sector:12": renaming changes no set); status and year come from the years each initiative
# starts and ends ("start:2020", "end:none"), verification from the month of the last one
# ("verified:2026-05"). Each filter counts its options (initiatives.filters).
BATCH = 500


def queue(initiative_ids):
    FacetIndexQueue.objects.bulk_create(FacetIndexQueue(initiative_id=pk) for pk in initiative_ids)


def queue_everything():
    FacetIndexQueue.objects.create(initiative_id=None)


class Index:
    """One revision of the sets, with what the finder asks of them."""

    def __init__(self, sets, revision):
        self.sets = sets
        self.revision = revision
        self.daily = {}  # what depends on today's date, for `daily.day`

    def get(self, key):
        return self.sets.get(key, 0)

    def count(self, key):
        return self.get(key).bit_count()

    def counts(self, dimension):
        """{value as stored: count}, e.g. {"BE": 12} for "country"."""
        return {
            value: members.bit_count() for value, members in self.by_dimension[dimension].items()
        }

    @functools.cached_property
    def by_dimension(self):
        """{dimension: {value as stored: members}}, e.g. {"country": {"BE": ...}}."""
        dimensions = collections.defaultdict(dict)
        for key, members in self.sets.items():
            dimension, _separator, value = key.partition(":")
            if members:
                dimensions[dimension][value] = members
        return dimensions

    def ids(self, dimension):
        """The ids of the sectors, tags... that have a published initiative."""
        return [int(stored) for stored in self.by_dimension[dimension]]

    # Status and year, from the years each initiative starts and ends

    def for_today(self, name, compute):
        """Worked out once a day: an index may serve unchanged past midnight."""
        today = timezone.localdate()
        if self.daily.get("day") != today:
            self.daily = {"day": today}
        if name not in self.daily:
            self.daily[name] = compute(today)
        return self.daily[name]

    @property
    def years(self):
        """{year: the initiatives active during that year}."""
        return self.for_today("years", self.active_by_year)

    def active_by_year(self, today):
        starts = {int(year): members for year, members in self.by_dimension["start"].items()}
        ends = {
            int(year): members
            for year, members in self.by_dimension["end"].items()
            if year != "none"
        }
        if not starts:
            return {}
        last = max(today.year, *ends) if ends else today.year
        started = 0
        started_by = {}
        for year in range(min(starts), last + 1):
            started |= starts.get(year, 0)
            started_by[year] = started
        not_ended = self.get(ONGOING)
        not_ended_before = {}
        for year in range(last, min(starts) - 1, -1):
            not_ended |= ends.get(year, 0)
            not_ended_before[year] = not_ended
        return {year: started_by[year] & not_ended_before[year] for year in started_by}

    def active_in(self, year):
        if year in self.years:
            return self.years[year]
        if self.years and year > max(self.years):
            # Past the last end year, only the ongoing ones that have started.
            return self.years[max(self.years)] & self.get(ONGOING)
        return 0

    @property
    def completed(self):
        return self.for_today("completed", self.ended_before)

    def ended_before(self, today):
        """In an earlier year, or this year before `today` (a query: the sets know years)."""
        earlier = 0
        for year, members in self.by_dimension["end"].items():
            if year != "none" and int(year) < today.year:
                earlier |= members
        this_year = Initiative.objects.published().filter(
            ended_on__gte=datetime.date(today.year, 1, 1), ended_on__lt=today
        )
        return earlier | bitmap(this_year.values_list("pk", flat=True))

    @property
    def ongoing(self):
        return self.get(ALL) & ~self.completed

    # Verification, from the month of each one

    @property
    def verified_lately(self):
        """Verified in the last 12 months (probono.verification)."""
        return self.for_today("verified", self.verified_since_due_day)

    def verified_since_due_day(self, today):
        """In a later month than the due day, or its month from that day on (a query)."""
        day = due_day(today)
        later = 0
        for month, members in self.by_dimension["verified"].items():
            if month > f"{day:%Y-%m}":
                later |= members
        next_month = (day.replace(day=1) + datetime.timedelta(days=31)).replace(day=1)
        that_month = Initiative.objects.published().filter(
            last_verified_on__gte=day, last_verified_on__lt=next_month
        )
        return later | bitmap(that_month.values_list("pk", flat=True))


def search_mask(text):
    """The published initiatives matching the search, from the database."""
    return bitmap(search.published_matches(text))


def bitmap(ids):
    ids = list(ids)
    if not ids:
        return 0
    buffer = bytearray((max(ids) >> 3) + 1)
    for pk in ids:
        buffer[pk >> 3] |= 1 << (pk & 7)
    return int.from_bytes(buffer, "little")


# What each process keeps


class ProcessCopy:
    """This process's index, and the data version it was last checked at: one pair, replaced
    whole, since the threads of a gthread worker read and replace it at once."""

    state = (None, None)


_copy = ProcessCopy()


def current():
    """The index as of this request's data version: this process's copy, brought up to date
    once per version (a query or two), after catching up any queued change."""
    version = token()
    known_version, known = _copy.state
    if known_version == version:
        return known
    if FacetIndexQueue.objects.exists():
        refresh()
    revision, rebuilt = FacetIndexState.objects.values_list("revision", "rebuilt").first() or (0, 0)
    index = synced(revision, rebuilt)
    _copy.state = (version, index)
    return index


def forget():
    """Drop this process's copy (tests, whose database is rolled back under it)."""
    _copy.state = (None, None)


def synced(revision, rebuilt):
    """This process's copy brought to `revision`: only the sets changed since, unless the
    index was rebuilt (or, in tests, rolled back) in between."""
    known = _copy.state[1]
    if known is not None and known.revision == revision:
        return known
    if known is None or rebuilt > known.revision or revision < known.revision:
        rows, sets = FacetSet.objects.all(), {}
    else:
        rows, sets = FacetSet.objects.filter(revision__gt=known.revision), known.sets
    changed = {
        key: int.from_bytes(members, "little")
        for key, members in rows.values_list("key", "members")
    }
    return Index({**sets, **changed}, revision)


# Keeping the sets up to date


def refresh(everything=False):
    """Update the sets of every queued initiative, or rebuild them all, in one transaction that
    holds the index's row, so that refreshes follow one another; readers see all of it or
    none."""
    with transaction.atomic():
        state = FacetIndexState.objects.select_for_update().get_or_create(pk=1)[0]
        queued = list(FacetIndexQueue.objects.values_list("pk", "initiative_id"))
        if not (queued or everything):
            return
        revision = state.revision + 1
        if everything or any(initiative_id is None for _pk, initiative_id in queued):
            sets = rebuilt_sets()
            FacetSet.objects.all().delete()
            FacetSet.objects.bulk_create(
                FacetSet(key=key, members=as_bytes(members), revision=revision)
                for key, members in sets.items()
            )
            state.rebuilt = revision
        else:
            known = synced(state.revision, state.rebuilt)
            ids = sorted({initiative_id for _pk, initiative_id in queued})
            sets, changed = updated_sets(known.sets, ids)
            FacetSet.objects.filter(key__in=changed).delete()
            FacetSet.objects.bulk_create(
                FacetSet(key=key, members=as_bytes(sets[key]), revision=revision) for key in changed
            )
        done = [pk for pk, _initiative in queued]
        for start in range(0, len(done), BATCH):
            FacetIndexQueue.objects.filter(pk__in=done[start : start + BATCH]).delete()
        state.revision = revision
        state.save()
    _copy.state = (None, Index(sets, revision))


def rebuilt_sets():
    sets = collections.defaultdict(bytearray)
    for pk, keys in keys_of(Initiative.objects.all()).items():
        byte, bit = pk >> 3, 1 << (pk & 7)
        for key in keys:
            buffer = sets[key]
            if byte >= len(buffer):
                buffer.extend(bytes(byte - len(buffer) + 1))
            buffer[byte] |= bit
    return {key: int.from_bytes(buffer, "little") for key, buffer in sets.items()}


def updated_sets(sets, ids):
    """The sets with the bits of `ids` set as their initiatives are now; the keys that
    changed."""
    touched = bitmap(ids)
    now = collections.defaultdict(list)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for pk, keys in keys_of(Initiative.objects.filter(pk__in=batch)).items():
            for key in keys:
                now[key].append(pk)
    updated, changed = dict(sets), []
    for key in set(sets) | set(now):
        before = sets.get(key, 0)
        members = (before & ~touched) | bitmap(now.get(key, ()))
        if members != before:
            updated[key] = members
            changed.append(key)
    return updated, changed


def as_bytes(members):
    return members.to_bytes((members.bit_length() + 7) // 8, "little")


def keys_of(initiatives):
    """{id: keys} of the published ones among `initiatives`."""
    published = initiatives.filter(status=Initiative.Status.PUBLISHED)
    keys, leads = {}, {}
    columns = ["pk", "kind", "crisis_id", "facilitator_id", "network_id", "started_on", "ended_on"]
    rows = published.values_list(*columns, "last_verified_on").iterator(chunk_size=5000)
    for pk, kind, crisis, lead, network, started, ended, verified in rows:
        own = keys[pk] = {ALL, f"kind:{kind}", f"end:{ended.year}" if ended else ONGOING}
        if verified:
            own.add(f"verified:{verified:%Y-%m}")
        if started:
            own.add(f"start:{started.year}")
        if crisis:
            own.add(f"crisis:{crisis}")
        if network:
            own.add(f"network:{network}")
        if lead:
            own.add(f"facilitator:{lead}")
            leads[pk] = lead
    if not keys:
        return keys
    dimension = {"partner": "facilitator"}
    links = link_rows(published.values("pk"), partners_and_tags=True)
    for initiative_id, kind, key, _slug, _name in links.iterator(chunk_size=5000):
        keys[initiative_id].add(f"{dimension.get(kind, kind)}:{key}")
    # A network's initiatives include those its members lead.
    networks = collections.defaultdict(set)
    memberships = Membership.objects.filter(facilitator__in=set(leads.values()))
    for facilitator, network in memberships.values_list("facilitator", "network"):
        networks[facilitator].add(f"network:{network}")
    for pk, lead in leads.items():
        keys[pk] |= networks[lead]
    return keys
