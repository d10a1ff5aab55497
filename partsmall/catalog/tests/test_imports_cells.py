"""Cells as Excel really gives them: each awkward kind is read right."""

from decimal import Decimal

import pytest

from partsmall.catalog.imports import cells


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (9091510003.0, "9091510003"),  # a long number stored as a float
        (9091510003, "9091510003"),
        (9.0915e9, "9091500000"),  # scientific notation as a float
        ("9.0915E+09", "9091500000"),  # scientific notation as text, an exact integer
        ("9.0915e+09", "9091500000"),
        ("ＡＢＣ１２３", "ABC123"),  # full-width input method
        ("  90915-YZZD4\u00a0", "90915-YZZD4"),  # stray and non-breaking spaces
        ("\u300004152-YZZA1\u3000", "04152-YZZA1"),  # ideographic spaces
        ("0012", "0012"),  # text keeps its leading zeros
        (None, ""),
    ],
)
def test_codes_are_read_as_written(raw, expected):
    assert cells.code(raw) == expected


def test_text_in_scientific_notation_that_is_not_an_integer_stays_text():
    assert cells.code("1.23456E+02") == "1.23456E+02"


def test_a_part_number_that_only_looks_like_a_number_is_not_expanded():
    assert cells.code("2E10") == "2E10"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("¥1,234.50", Decimal("1234.50")),
        ("￥35", Decimal("35.00")),  # full-width yen sign
        ("1，234.5", Decimal("1234.50")),  # full-width comma
        (" 35.505 ", Decimal("35.51")),  # half up, never through float arithmetic
        ("35.504", Decimal("35.50")),
        (35.5, Decimal("35.50")),
        (0.1 + 0.2, Decimal("0.30")),
        (1234, Decimal("1234.00")),
        ("12元", Decimal("12.00")),
        ("RMB 99.9", Decimal("99.90")),
    ],
)
def test_money_is_read_as_decimal(raw, expected):
    value = cells.money(raw)

    assert value == expected
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", ["abc", "1,23", "¥", "12.3.4", True])
def test_money_that_is_not_an_amount_is_refused(raw):
    with pytest.raises(cells.CellError) as refused:
        cells.money(raw)

    assert refused.value.message == cells.NOT_AN_AMOUNT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("Y", True), ("n", False), ("1", True), ("0", False), (1, True), (0, False),
     (True, True), ("TRUE", True), ("ｙｅｓ", True)],
)  # fmt: skip
def test_yes_and_no_in_their_spellings(raw, expected):
    assert cells.yes_no(raw) is expected


def test_something_else_than_yes_or_no_is_refused():
    with pytest.raises(cells.CellError) as refused:
        cells.yes_no("也许")

    assert refused.value.message == cells.NOT_YES_NO


@pytest.mark.parametrize(("raw", "expected"), [(12.0, 12), ("１２", 12), ("12.0", 12), ("1.2E+01", 12)])
def test_integers_stored_as_floats_or_text(raw, expected):
    assert cells.integer(raw) == expected


def test_a_fraction_is_not_an_integer():
    with pytest.raises(cells.CellError) as refused:
        cells.integer(2.5)

    assert refused.value.message == cells.NOT_AN_INTEGER


def test_choices_accept_the_label_or_the_value():
    choices = {"genuine": "原厂件", "brand": "品牌件"}

    assert cells.choice("品牌件", choices) == "brand"
    assert cells.choice(" 原厂件 ", choices) == "genuine"
    assert cells.choice("BRAND", choices) == "brand"
    with pytest.raises(cells.CellError) as refused:
        cells.choice("好件", choices)
    assert refused.value.message == cells.NOT_A_CHOICE % {"choices": "原厂件、品牌件"}


def test_lists_split_on_chinese_and_english_separators():
    assert cells.split_list("90915-YZZD4；90915-10003, 04152-YZZA1、A\nB") == [
        "90915-YZZD4",
        "90915-10003",
        "04152-YZZA1",
        "A",
        "B",
    ]
