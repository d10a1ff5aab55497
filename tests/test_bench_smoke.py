"""The search benchmark's code at a tiny scale, so it does not rot between runs.

It checks that dataset M's generator still fits the models, and that the raw-SQL floor
still gives the same answers as search_parts for each query kind. No times are asserted:
performance is measured by `bench/` runs by hand (bench/README.md).
"""

import random

import pytest

from bench.search import floor, run
from bench.search.generate import generate
from partsmall.catalog.models import Fitment, Offer, Part
from partsmall.search.selectors import search_parts


@pytest.mark.django_db
def test_generator_writes_a_tiny_dataset_m_and_the_floor_answers_like_search_parts():
    # given dataset M at 1/500 of its size
    written = generate(scale=0.002, seed=5)

    # then every table has its rows, with the offer summary written
    assert written["catalog.Part"] == Part.objects.count() == 200
    assert written["vehicles.VehicleType"] == 103
    assert Fitment.objects.count() == written["catalog.Fitment"] > 0
    assert Offer.objects.count() == written["catalog.Offer"] > 0
    assert Part.objects.filter(offer_count__gt=0, min_price__isnull=False).exists()

    # when a few queries of each kind run through the project and through the floor
    actor = run.bench_actor()
    samplers = run.samplers_by_kind()
    categories = floor.load_categories()
    rng = random.Random(5)
    for kind in run.KINDS:
        for _ in range(3):
            sample = samplers[kind](rng)
            result = search_parts(actor=actor, query=sample.query)
            spec = floor.prepare(sample.query, organization_id=actor.organization_id, categories=categories)

            # then both give the same page and the same facet counts
            assert run.project_key(result) == floor.search(spec).key(), sample.label
