"""Writes of the catalogue (a package: taxonomy, parts, offers, review).

Import services from here: `from partsmall.catalog.services import offer_create`.
"""

from partsmall.catalog.services.offers import (
    OfferTerms,
    offer_create,
    offer_set_listed,
    offer_update,
    parse_price,
    terms_errors,
)
from partsmall.catalog.services.parts import (
    fitment_add,
    oe_number_add,
    part_create,
    part_link_add,
    part_reindex,
    part_update,
    search_text_of,
)
from partsmall.catalog.services.review import review_approve, review_reject
from partsmall.catalog.services.taxonomy import brand_create, brand_update, category_create, category_update

__all__ = [
    "OfferTerms",
    "brand_create",
    "brand_update",
    "category_create",
    "category_update",
    "fitment_add",
    "oe_number_add",
    "offer_create",
    "offer_set_listed",
    "offer_update",
    "parse_price",
    "part_create",
    "part_link_add",
    "part_reindex",
    "part_update",
    "review_approve",
    "review_reject",
    "search_text_of",
    "terms_errors",
]
