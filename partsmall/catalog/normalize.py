"""Normalising part and OE numbers as people and Excel write them.

"90915-YZZD4", "90915 yzzd4", "９０９１５－ＹＺＺＤ４" and "90915.YZZD4" are one number:
full-width characters folded (NFKC), upper case, separators dropped.
"""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑–—_./\\·]+")


def normalize_number(raw: object) -> str:
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().upper()
    return _SEPARATORS.sub("", text)


def normalize_name(raw: object) -> str:
    """Brand names: folded and upper-cased, inner spaces collapsed."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().upper()
    return re.sub(r"\s+", " ", text)
