"""Denormalised search data on Part, written by catalog services (search only reads it).

- `part_search_text`: the tokens a part is found by: jieba words of its name and category
  (with the auto-parts dictionary), pinyin initials of those words and of the whole name,
  the brand, and the normalised part and OE numbers with their prefixes.
- `refresh_offer_summary`: lowest price, fastest delivery, offer and supplier counts and
  in-stock flag over the listed offers, recomputed for the given parts in bulk.
"""

from collections.abc import Iterable
from functools import cache
from typing import Any
from pathlib import Path

from django.db.models import Count, Max, Min

from partsmall.catalog.models import Offer, Part

DICTIONARY = Path(__file__).resolve().parent / "data" / "autoparts_dict.txt"


@cache
def _tokenizer() -> Any:
    """One jieba tokenizer per process, built on first use (a read-only cache, not state)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = None
    if DICTIONARY.exists():
        tokenizer.load_userdict(str(DICTIONARY))
    return tokenizer


def words(text: str) -> list[str]:
    """Search words of a Chinese/English text (jieba's search mode), lower-cased."""
    seen: dict[str, None] = {}
    for word in _tokenizer().cut_for_search(text or ""):
        word = word.strip().lower()
        if word and not all(not ch.isalnum() for ch in word):
            seen.setdefault(word, None)
    return list(seen)


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters (机油滤清器 → jylqq); other letters kept."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")
    return "".join(ch for ch in "".join(letters).lower() if ch.isalnum())


def number_prefixes(number_norm: str, shortest: int = 4) -> list[str]:
    """A normalised number and its prefixes, so "90915" finds "90915YZZD4"."""
    return [number_norm[:end] for end in range(min(shortest, len(number_norm)), len(number_norm) + 1)]


def part_search_text(
    *, name: str, brand: str, number_norm: str, oe_numbers: Iterable[str], categories: Iterable[str]
) -> str:
    tokens: dict[str, None] = {}
    for text in (name, *categories):
        for word in words(text):
            tokens.setdefault(word, None)
            code = initials(word)
            if code and code != word:
                tokens.setdefault(code, None)
        code = initials(text)
        if code:
            tokens.setdefault(code, None)
    for word in words(brand):
        tokens.setdefault(word, None)
    for number in (number_norm, *oe_numbers):
        for prefix in number_prefixes(number.lower()):
            tokens.setdefault(prefix, None)
    return " ".join(tokens)


def refresh_offer_summary(part_ids: Iterable[int]) -> int:
    """Recompute the offer summary of these parts; returns how many parts were written."""
    ids = sorted(set(part_ids))
    written = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        stats = {
            row["part_id"]: row
            for row in Offer.objects.filter(part_id__in=chunk, is_listed=True)
            .values("part_id")
            .annotate(
                n=Count("id"),
                suppliers=Count("supplier_id", distinct=True),
                low=Min("price"),
                fastest=Min("lead_time_days"),
                stock=Max("stock_quantity"),
            )
        }
        parts = list(Part.objects.filter(id__in=chunk).only("id"))
        for part in parts:
            row = stats.get(part.pk)
            part.offer_count = row["n"] if row else 0
            part.supplier_count = row["suppliers"] if row else 0
            part.min_price = row["low"] if row else None
            part.fastest_lead_days = row["fastest"] if row else None
            part.in_stock = bool(row and row["stock"])
        Part.objects.bulk_update(
            parts, ["offer_count", "supplier_count", "min_price", "fastest_lead_days", "in_stock"]
        )
        written += len(parts)
    return written


__all__ = ["initials", "number_prefixes", "part_search_text", "refresh_offer_summary", "words"]
