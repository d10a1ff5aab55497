import pytest
from django.db import connection

from partsmall.catalog.indexing import QueryTerms, part_search_text, query_terms
from partsmall.catalog.models import Part
from partsmall.organizations.tests.factories import MembershipFactory
from partsmall.search.selectors import SearchQuery, search_parts
from partsmall.search.tests.conftest import index_parts
from partsmall.search.tests.test_selectors import _actor


def _tokens(**overrides) -> list[str]:
    fields = {
        "name": "丰田卡罗拉机油滤清器",
        "brand": "丰田 Toyota",
        "number_norm": "9091510003",
        "oe_numbers": ["9091510003"],
        "categories": ["机油滤清器", "滤清器"],
    }
    return part_search_text(**{**fields, **overrides}).split()


def test_part_tokens_hold_words_initials_synonyms_characters_and_numbers():
    tokens = _tokens()

    assert {"卡罗拉", "机油滤清器", "滤清器", "机油", "丰田", "toyota"} <= set(tokens)
    assert {"jylqq", "kll", "ftklljylqq"} <= set(tokens)
    assert {"机滤", "机油滤芯", "机油格", "jl"} <= set(tokens)
    assert {"机", "油", "滤", "清", "器"} <= set(tokens)
    assert "9091510003" in tokens
    assert len(tokens) == len(set(tokens))


def test_part_tokens_are_letters_and_digits_only():
    tokens = _tokens(name="5W-30 全合成机油（C-HR 专用）", brand="博世 Bosch", categories=["机油"])

    assert all(token.isalnum() for token in tokens)
    assert {"5w30", "c", "hr", "博世", "bosch", "全合成"} <= set(tokens)


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("丰田卡罗拉机油滤清器", QueryTerms(words=("丰田", "卡罗拉", "机油滤清器"))),
        ("机油滤", QueryTerms(words=("机油", "滤"))),
        ("机油格", QueryTerms(words=("机油格",))),
        ("jylq", QueryTerms(prefixes=("jylq",))),
        ("ＪＹＬＱ", QueryTerms(prefixes=("jylq",))),
        ("bosch 火花塞", QueryTerms(words=("火花塞",), prefixes=("bosch",))),
        ("90915-YZZD4", QueryTerms(numbers=("90915YZZD4",))),
        ("９０９１５－ＹＺＺＤ４", QueryTerms(numbers=("90915YZZD4",))),
        ("90915 10003", QueryTerms(numbers=("9091510003",))),
        ("5W-30 全合成", QueryTerms(words=("全合成",), numbers=("5W30",))),
        ("", QueryTerms()),
    ],
)
def test_query_terms_use_the_same_tokeniser(typed, terms):
    assert query_terms(typed) == terms


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table and its triggers are SQLite's")
def test_the_sqlite_full_text_table_and_its_triggers_exist(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE 'catalog_part_fts%' ORDER BY name"
        )
        found = set(cursor.fetchall())

    assert {
        ("table", "catalog_part_fts"),
        ("trigger", "catalog_part_fts_insert"),
        ("trigger", "catalog_part_fts_update"),
        ("trigger", "catalog_part_fts_delete"),
    } <= found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_the_postgresql_gin_index_is_on_the_search_index_only(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%USING gin%'")
        found = dict(cursor.fetchall())

    assert "USING gin (tsv)" in found["search_partindex_tsv"]
    assert "catalog_part_search_gin" not in found  # dropped: searches read the index table


def test_the_listed_grades_index_exists(db):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "catalog_offer")

    assert indexes["catalog_offer_listed_grade"]["columns"] == ["part_id", "grade"]


def test_the_index_follows_changed_and_deleted_parts(catalogue):
    actor = _actor(MembershipFactory.create())
    pad = catalogue.brake_pad

    pad.name = "前刹车片 陶瓷"
    pad.save()
    index_parts([pad])
    found_new = [h.part.pk for h in search_parts(actor=actor, query=SearchQuery(q="陶瓷")).hits]
    catalogue.air_filter_part.offers.all().delete()
    Part.objects.filter(pk=catalogue.air_filter_part.pk).delete()
    found_deleted = search_parts(actor=actor, query=SearchQuery(q="bosch")).hits

    assert found_new == [pad.pk]
    assert found_deleted == []
