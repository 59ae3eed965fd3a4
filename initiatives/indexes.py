"""What the site derives from initiatives to find and count them fast: the facet index's sets
(initiatives.facet_index) and the search indexes (initiatives.search)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class FacetSet(models.Model):
    """The published initiatives that have one facet value ("country:BE", "sector:12", "all"),
    as a bitmap of their ids: the finder counts with these (initiatives.facet_index)."""

    key = models.CharField(max_length=150, primary_key=True)
    members = models.BinaryField()
    # The index revision that last changed it: a process reloads only what changed.
    revision = models.PositiveBigIntegerField(db_index=True)

    def __str__(self):
        return self.key


class FacetIndexState(models.Model):
    """One row: the index's revision, and the last one that rebuilt it whole."""

    revision = models.PositiveBigIntegerField(default=0)
    rebuilt = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"facet index, revision {self.revision}"


class FacetIndexQueue(models.Model):
    """Initiatives that a committed write changed and whose facet sets are still to update;
    written in that write's transaction, so that no change is lost. Empty: every initiative."""

    initiative_id = models.BigIntegerField(null=True)

    def __str__(self):
        return f"initiative {self.initiative_id or 'all'} to index"


class PublishedSearch(models.Model):
    """On PostgreSQL, the search vector of each published initiative again, in a narrow table of
    its own kept by a trigger in the writer's transaction (migration 0012): a search reads its
    matches from 700 pages instead of 20 000 at 100 000. SQLite searches its own index instead
    (SearchIndex), and leaves it empty."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    search_vector = SearchVectorField()

    def __str__(self):
        return f"search vector of initiative {self.initiative_id}"


class Match(models.Lookup):
    """FTS5's `MATCH`, given a query that initiatives.search has quoted."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchIndex(models.Model):
    """On SQLite, an FTS5 table of every initiative's search document, a column per section,
    kept by triggers in the writer's transaction and ranked by bm25 with the weights of
    PostgreSQL's (migration 0017). Not there when SQLite lacks FTS5, nor on PostgreSQL:
    `managed = False`, and nothing deletes through it."""

    initiative = models.OneToOneField(
        "initiatives.Initiative",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="search_index",
    )
    # FTS5's hidden column named after its table: MATCH on it searches every column.
    document = models.TextField(db_column="initiatives_searchindex")
    rank = models.FloatField()

    class Meta:
        managed = False

    def __str__(self):
        return f"search index of initiative {self.initiative_id}"


SearchIndex._meta.get_field("document").register_lookup(Match)
