"""The full-text condition on the search index of parts, in each database's own index.

Design (the indexes are made by catalog migration 0003_search_index and search
migration 0001_part_index):
- Part.search_text holds the part's tokens (catalog.indexing), space separated, letters
  and digits only, so both databases see each token as one word.
- SQLite: an FTS5 external-content table `catalog_part_fts` (rowid = part id) kept in
  step by triggers; the condition is `index.id IN (SELECT rowid … MATCH '"w" AND "p"*')`.
- PostgreSQL: search_partindex.tsv (the tokens as a stripped tsvector, GIN indexed); the
  condition is `tsv @@ to_tsquery('simple', '''w'' & ''p'':*')` (a bitmap scan, combined
  with the other conditions).
- Words match whole tokens; prefixes (latin words: pinyin initials, brands; numbers)
  match the beginning of a token, through the same index.
- Other databases are not supported (NotSupportedError).
"""

from collections.abc import Iterable
from typing import Any

from django.db import NotSupportedError
from django.db.models import BooleanField, F, Func

FTS_TABLE = "catalog_part_fts"


def fts5_query(words: Iterable[str], prefixes: Iterable[str]) -> str:
    terms = [f'"{w}"' for w in words] + [f'"{p}"*' for p in prefixes]
    return " AND ".join(terms)


def tsquery(words: Iterable[str], prefixes: Iterable[str]) -> str:
    terms = [f"'{w}'" for w in words] + [f"'{p}':*" for p in prefixes]
    return " & ".join(terms)


def _safe(tokens: Iterable[str]) -> tuple[str, ...]:
    """Tokens are letters and digits (catalog.indexing); anything else is dropped."""
    return tuple(t for t in ("".join(ch for ch in token if ch.isalnum()) for token in tokens) if t)


class TokenMatch(Func):
    """Filter on PartIndex: the part's tokens hold every word, and a token starting with each prefix."""

    output_field = BooleanField()

    def __init__(self, *, words: Iterable[str] = (), prefixes: Iterable[str] = ()) -> None:
        super().__init__(F("pk"), F("tsv"))
        self.words = _safe(words)
        self.prefixes = _safe(prefixes)
        if not (self.words or self.prefixes):
            raise ValueError("TokenMatch needs a word or a prefix")

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        raise NotSupportedError(f"full-text search is not available on {connection.vendor}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        pk_sql, params = compiler.compile(self.source_expressions[0])
        sql = f"{pk_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        return sql, (*params, fts5_query(self.words, self.prefixes))

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        tsv_sql, params = compiler.compile(self.source_expressions[1])
        sql = f"{tsv_sql} @@ to_tsquery('simple'::regconfig, %s)"
        return sql, (*params, tsquery(self.words, self.prefixes))
