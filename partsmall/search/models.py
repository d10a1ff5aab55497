"""The search index of parts: a narrow copy of what a search reads of each part.

A broad keyword (机油滤清器, `scp`) matches a tenth of the catalogue; counting its facets
reads every hit. Read from catalog_part, each hit costs a visit to a wide row (name,
number, attributes, search text …); this table holds only the columns that search filters,
counts and orders on, with the part's tokens as a stripped tsvector on PostgreSQL (GIN
indexed), so the same hits cost about 40% less (bench/RESULTS.md, 2026-12-03).

Nothing in the code writes it: database triggers on catalog_part keep it in step with
every insert, update and delete (search migration 0001), whoever writes the part (catalog
services, bulk imports, the demo loader, the bench generator). On SQLite the text is
matched in the FTS5 table of catalog migration 0003 (rowid = part id) and `tsv` stays
empty. A migration that makes SQLite remake catalog_part (a table rebuild drops its
triggers) must create them again; search's tests check that they exist and work.
"""

from typing import Any

from django.db import models


class TsVectorField(models.TextField):
    """A PostgreSQL tsvector column (text, unused, elsewhere)."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class PartIndex(models.Model):
    id = models.BigIntegerField(primary_key=True)  # the part's id
    visible = models.BooleanField()  # the part is not rejected by review
    name = models.CharField(max_length=200)
    # UPPER(name): the relevance rank tests a keyword with letters without folding the
    # case of every hit's name at query time.
    name_upper = models.CharField(max_length=200)
    category_id = models.BigIntegerField()
    brand_id = models.BigIntegerField()
    min_price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    fastest_lead_days = models.PositiveSmallIntegerField(null=True)
    in_stock = models.BooleanField()
    supplier_count = models.PositiveIntegerField()
    listed_grades = models.PositiveSmallIntegerField()
    tsv = TsVectorField(null=True)

    class Meta:
        db_table = "search_partindex"
        # A category (with its subtree) or brands alone are a search's base set too. No
        # index holds a column of the offer summary, so that rewriting a part's summary
        # (every import, every stock change crossing zero) is a HOT update on PostgreSQL:
        # no index entry written, the tsv not put into the GIN index again (search 0002).
        indexes = [
            models.Index(fields=["category_id"], name="search_partindex_category"),
            models.Index(fields=["brand_id"], name="search_partindex_brand"),
        ]

    def __str__(self) -> str:
        return str(self.id)
