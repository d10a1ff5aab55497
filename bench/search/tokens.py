"""Part.search_text for generated parts: catalog.indexing.part_search_text itself, with its
pure text helpers memoised while the dataset is built (generated names repeat: a category
name with a few variants, so jieba and pypinyin run once per distinct text).

`check_search_text` compares with the unmemoised function on a sample at generation time.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import jieba

from partsmall.catalog import indexing

jieba.setLogLevel(logging.WARNING)

# Pure functions of their text argument in catalog.indexing (skipped when absent).
PURE_HELPERS = ("_text_tokens", "words", "precise_words", "initials")


@contextmanager
def memoized_indexing() -> Iterator[None]:
    saved = {
        name: getattr(indexing, name) for name in PURE_HELPERS if callable(getattr(indexing, name, None))
    }
    try:
        for name, function in saved.items():
            setattr(indexing, name, cache(function))
        yield
    finally:
        for name, function in saved.items():
            setattr(indexing, name, function)


def search_text(
    *, name: str, brand: str, number_norm: str, oe_numbers: Iterable[str], categories: Iterable[str]
) -> str:
    return indexing.part_search_text(
        name=name, brand=brand, number_norm=number_norm, oe_numbers=oe_numbers, categories=categories
    )


def check_search_text(samples: Iterable[dict]) -> int:
    """Compares with the real, unmemoised part_search_text; returns how many samples differ."""
    differ = 0
    for sample in samples:
        with memoized_indexing():
            fast = search_text(**sample)
        if fast != indexing.part_search_text(**sample):
            differ += 1
    return differ
