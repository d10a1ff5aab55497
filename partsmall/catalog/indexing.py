"""Denormalised search data on Part, written by catalog services (search only reads it).

- `part_search_text`: the tokens a part is found by, space separated: jieba words of its
  name and categories (search mode, with the auto-parts dictionary data/autoparts_dict.txt),
  the single Chinese characters of those texts (so a query word jieba does not know still
  finds the part), the synonyms of trade words (机滤 = 机油滤清器), pinyin initials of the
  words and of the whole name, the brand, and the normalised part and OE numbers.
- `query_terms`: the same tokeniser applied to what a buyer types. Chinese is cut in
  precise mode (whole words, each one of the indexed search-mode words); a word jieba
  only guessed (not in its dictionary) falls back to its characters; latin words are
  matched as prefixes, so `jylq` finds 机油滤清器 through its initials `jylqq`; terms
  with digits are part or OE numbers, looked up normalised, exact or as a prefix.
  Prefix matching is done by the full-text index (SQLite FTS5 `"tok"*`, PostgreSQL
  `'tok':*`), so no prefixes are stored.
- `refresh_offer_summary`: lowest price, fastest delivery, offer and supplier counts,
  in-stock flag and the grades (Part.listed_grades, bits of models.GRADE_BITS) over the
  listed offers, recomputed for the given parts in bulk.

Tokens hold letters and digits only (lower-cased, full-width folded), so that SQLite's
unicode61 tokenizer and PostgreSQL's `simple` parser both see each one as one word.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connection

from partsmall.catalog.models import Offer, Part
from partsmall.catalog.normalize import normalize_number

DICTIONARY = Path(__file__).resolve().parent / "data" / "autoparts_dict.txt"

# Words the trade uses for the same part: a part found by one is found by all.
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        {"机油滤清器", "机油滤芯", "机滤", "机油格"},
        {"空气滤清器", "空气滤芯", "空滤", "空气格"},
        {"空调滤清器", "空调滤芯", "空调滤", "空调格"},
        {"燃油滤清器", "汽油滤清器", "燃油滤芯", "汽油滤芯", "汽滤", "汽油格"},
        {"柴油滤清器", "柴油滤芯", "柴滤"},
        {"刹车片", "制动片", "刹车皮"},
        {"刹车盘", "制动盘"},
        {"刹车蹄", "制动蹄"},
        {"雨刮片", "雨刷片", "雨刮", "雨刷", "雨刮器"},
        {"减震器", "减振器", "避震器"},
        {"散热器", "水箱"},
        {"起动机", "启动机"},
        {"方向机", "转向机"},
        {"稳定杆", "平衡杆"},
        {"后视镜", "倒车镜"},
        {"张紧轮", "涨紧轮"},
        {"引擎盖", "机盖", "发动机盖"},
        {"防冻液", "冷却液"},
        {"刹车油", "制动液"},
    )
)
_SYNONYMS_OF: dict[str, frozenset[str]] = {word: group for group in SYNONYMS for word in group}

_NOT_ALNUM = re.compile(r"[\W_]+")
_LATIN = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


@cache
def _tokenizer() -> Any:
    """One jieba tokenizer per process, built on first use (a read-only cache, not state)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = None
    if DICTIONARY.exists():
        tokenizer.load_userdict(str(DICTIONARY))
    for word in _SYNONYMS_OF:
        if not tokenizer.FREQ.get(word):
            tokenizer.add_word(word)
    return tokenizer


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _has_han(text: str) -> bool:
    return any(_is_han(ch) for ch in text)


def _clean(word: str) -> list[str]:
    """The letter-and-digit runs of a word ("c-hr" → c, hr)."""
    return [piece for piece in _NOT_ALNUM.split(word.lower()) if piece]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def words(text: str) -> list[str]:
    """Search words of a Chinese/English text (jieba's search mode), lower-cased."""
    return _unique(piece for word in _tokenizer().cut_for_search(_fold(text)) for piece in _clean(word))


def precise_words(text: str) -> list[str]:
    """Whole words of a text (jieba's precise mode), lower-cased: how a query is cut."""
    return _unique(piece for word in _tokenizer().cut(_fold(text)) for piece in _clean(word))


def is_dictionary_word(word: str) -> bool:
    return bool(_tokenizer().FREQ.get(word, 0))


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters (机油滤清器 → jylqq); other letters kept."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")
    return "".join(ch for ch in "".join(letters).lower() if ch.isalnum())


def number_prefixes(number_norm: str, shortest: int = 4) -> list[str]:
    """A normalised number and its prefixes, so "90915" finds "90915YZZD4"."""
    return [number_norm[:end] for end in range(min(shortest, len(number_norm)), len(number_norm) + 1)]


def text_tokens(text: str) -> list[str]:
    """The tokens of one text (a name, a category, a brand): pure, so callers may cache it."""
    tokens: list[str] = []
    for word in words(text):
        for alias in sorted(_SYNONYMS_OF.get(word, {word})):
            tokens.append(alias)
            if _has_han(alias) and len(alias) > 1:
                tokens.append(initials(alias))
    folded = _fold(text)
    tokens.extend(ch for ch in folded if _is_han(ch))
    # Model codes and grades written with separators ("5W-30", "C-HR") as one token too.
    tokens.extend(normalize_number(chunk).lower() for chunk in folded.split() if _DIGIT.search(chunk))
    if _has_han(text):
        tokens.append(initials(text))
    return [t for token in tokens for t in _clean(token)]


def part_search_text(
    *, name: str, brand: str, number_norm: str, oe_numbers: Iterable[str], categories: Iterable[str]
) -> str:
    tokens: list[str] = []
    for text in (name, *categories, brand):
        tokens.extend(text_tokens(text))
    for number in (number_norm, *oe_numbers):
        tokens.extend(_clean(number))
    return " ".join(_unique(tokens))


@dataclass(frozen=True)
class QueryTerms:
    """What a buyer typed, in index tokens: every word and prefix must match (AND);
    each number matches a part or OE number (exact or prefix) or an indexed token."""

    words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.numbers)


def _word_terms(chunk: str) -> tuple[list[str], list[str]]:
    exact: list[str] = []
    prefixes: list[str] = []
    for word in precise_words(chunk):
        if not _has_han(word):
            prefixes.append(word)
        elif len(word) == 1 or is_dictionary_word(word) or word in _SYNONYMS_OF:
            exact.append(word)
        else:
            # A word jieba only guessed may be cut otherwise inside a part's name; its
            # characters are indexed one by one.
            exact.extend(ch for ch in word if _is_han(ch))
            prefixes.extend(_clean("".join(" " if _is_han(ch) else ch for ch in word)))
    return exact, prefixes


def query_terms(text: str) -> QueryTerms:
    """The index tokens of a query (see the module docstring)."""
    exact: list[str] = []
    prefixes: list[str] = []
    numbers: list[str] = []
    chunks = _fold(text).split()
    if len(chunks) > 1 and all(_DIGIT.search(c) and not _has_han(c) for c in chunks):
        # "90915 10003": one number typed with spaces, as on a label.
        chunks = ["".join(chunks)]
    for chunk in chunks:
        if _has_han(chunk):
            found, starts = _word_terms(chunk)
            exact.extend(found)
            prefixes.extend(starts)
        elif _DIGIT.search(chunk):
            number = normalize_number(chunk)
            if number:
                numbers.append(number)
        else:
            prefixes.extend(_clean(chunk))
    return QueryTerms(
        words=tuple(_unique(exact)), prefixes=tuple(_unique(prefixes)), numbers=tuple(_unique(numbers))
    )


_SUMMARY_SQL = """
UPDATE {part} SET
    offer_count = s.n,
    supplier_count = s.suppliers,
    min_price = s.low,
    fastest_lead_days = s.fastest,
    in_stock = s.stock > 0,
    listed_grades = s.grades
FROM (
    SELECT part_id, COUNT(*) AS n, COUNT(DISTINCT supplier_id) AS suppliers, MIN(price) AS low,
           MIN(lead_time_days) AS fastest, MAX(stock_quantity) AS stock,
           MAX(CASE WHEN grade = 'genuine' THEN 1 ELSE 0 END)
           + MAX(CASE WHEN grade = 'brand' THEN 2 ELSE 0 END)
           + MAX(CASE WHEN grade = 'aftermarket' THEN 4 ELSE 0 END)
           + MAX(CASE WHEN grade = 'used' THEN 8 ELSE 0 END) AS grades  -- models.GRADE_BITS
    FROM {offer} WHERE is_listed AND part_id {ids}
    GROUP BY part_id
) AS s
WHERE {part}.id = s.part_id AND {part}.id {ids}
"""

_EMPTY_SUMMARY_SQL = """
UPDATE {part} SET
    offer_count = 0, supplier_count = 0, min_price = NULL, fastest_lead_days = NULL, in_stock = %s,
    listed_grades = 0
WHERE id {ids}
    AND NOT EXISTS (SELECT 1 FROM {offer} o WHERE o.part_id = {part}.id AND o.is_listed)
"""


def refresh_offer_summary(part_ids: Iterable[int]) -> int:
    """Recompute the offer summary of these parts; returns how many parts were written.

    Two set-based statements per 1,000 parts (PostgreSQL: all parts at once): one UPDATE …
    FROM the listed offers grouped by part, one resetting the parts without a listed offer.
    Stock is never negative, so "some listed offer in stock" is MAX(stock_quantity) > 0.
    """
    ids = sorted(set(part_ids))
    if not ids:
        return 0
    names = {"part": connection.ops.quote_name(Part._meta.db_table)}
    names["offer"] = connection.ops.quote_name(Offer._meta.db_table)
    if connection.vendor == "postgresql":
        batches = [ids]
    else:
        batches = [ids[start : start + 1000] for start in range(0, len(ids), 1000)]
    written = 0
    with connection.cursor() as cursor:
        for batch in batches:
            params: list[Any]
            if connection.vendor == "postgresql":
                where, params = "= ANY(%s)", [batch]
            else:
                where, params = f"IN ({', '.join(['%s'] * len(batch))})", list(batch)
            # The ids twice: the planner then reaches the parts by primary key, not by a scan.
            cursor.execute(_SUMMARY_SQL.format(ids=where, **names), params * 2)
            written += cursor.rowcount
            cursor.execute(_EMPTY_SUMMARY_SQL.format(ids=where, **names), [False, *params])
            written += cursor.rowcount
    return written


__all__ = [
    "SYNONYMS",
    "QueryTerms",
    "initials",
    "is_dictionary_word",
    "number_prefixes",
    "part_search_text",
    "precise_words",
    "query_terms",
    "refresh_offer_summary",
    "text_tokens",
    "words",
]
