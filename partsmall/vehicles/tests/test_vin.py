from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partsmall.core.errors import ApplicationError
from partsmall.vehicles.vin import (
    ALLOWED,
    VIN_FORBIDDEN_LETTER,
    VIN_WRONG_CHECK_DIGIT,
    VIN_WRONG_LENGTH,
    check_digit_inspect,
    check_digit_of,
    model_years,
    vin_normalize,
    vin_validate,
    with_check_digit,
)

CHARS = "".join(sorted(ALLOWED))
CHECK_CHARS = "0123456789X"
TODAY = date(2026, 11, 26)


def _body(first: str | None = None) -> st.SearchStrategy[str]:
    tail = st.text(alphabet=CHARS, min_size=16, max_size=16)
    head = st.just(first) if first else st.sampled_from(CHARS)
    return st.builds(lambda h, t: with_check_digit(h + t), head, tail)


def _refusal(vin: str) -> str:
    with pytest.raises(ApplicationError) as caught:
        vin_validate(vin)
    assert caught.value.field == "vin"
    return str(caught.value.message)


@given(vin=_body())
def test_any_vin_with_its_computed_check_digit_validates(vin):
    assert vin_validate(vin) == vin
    assert check_digit_inspect(vin).valid is True


@given(vin=_body("L"), data=st.data())
def test_another_check_digit_is_refused_for_a_china_built_vin(vin, data):
    wrong = data.draw(st.sampled_from([c for c in CHARS if c != vin[8]]))
    changed = vin[:8] + wrong + vin[9:]

    message = _refusal(changed)

    assert message == VIN_WRONG_CHECK_DIGIT % {"expected": vin[8], "actual": wrong}


@given(vin=_body(), data=st.data())
def test_a_north_american_vin_with_a_wrong_check_digit_is_refused(vin, data):
    region = data.draw(st.sampled_from("12345"))
    right = with_check_digit(region + vin[1:])
    wrong = data.draw(st.sampled_from([c for c in CHECK_CHARS if c != right[8]]))

    message = _refusal(right[:8] + wrong + right[9:])

    assert message == VIN_WRONG_CHECK_DIGIT % {"expected": right[8], "actual": wrong}


@given(vin=_body(), data=st.data())
def test_a_european_vin_with_a_wrong_check_digit_is_accepted_with_a_note(vin, data):
    region = data.draw(st.sampled_from("STUVWXYZ"))
    right = with_check_digit(region + vin[1:])
    wrong = data.draw(st.sampled_from([c for c in CHECK_CHARS if c != right[8]]))
    european = right[:8] + wrong + right[9:]

    assert vin_validate(european) == european
    check = check_digit_inspect(european)
    assert (check.valid, check.required) == (False, False)
    assert "欧洲车辆不强制校验位" in check.note


@given(vin=_body(), position=st.integers(min_value=1, max_value=17), letter=st.sampled_from("IOQ"))
def test_the_letters_i_o_q_are_refused_anywhere_with_their_position(vin, position, letter):
    changed = vin[: position - 1] + letter + vin[position:]

    assert _refusal(changed) == VIN_FORBIDDEN_LETTER % {"position": position, "char": letter}


def test_messages_say_what_is_wrong():
    assert _refusal("LSVAU218XN218329") == "VIN 应为 17 位，当前为 16 位。"
    assert _refusal("LSVAO218XN2183294") == "VIN 中不能含字母 I、O、Q（第 5 位为 O）。"
    assert _refusal("LSVAU2187N2183294") == "VIN 校验位错误：第 9 位应为 X，实际为 7。"


@pytest.mark.parametrize(("raw", "length"), [("LSVAU218XN21832", 15), ("LSVAU218XN21832945", 18), ("L", 1)])
def test_a_wrong_length_is_named(raw, length):
    assert _refusal(raw) == VIN_WRONG_LENGTH % {"length": length}


def test_an_empty_vin_is_asked_for():
    assert _refusal("  ") == "请输入 VIN（车辆识别代号）。"


def test_other_characters_are_named():
    assert _refusal("LSVAU218XN218329#") == "VIN 只能包含数字和英文字母（第 17 位为 #）。"


def test_spaces_full_width_and_lower_case_are_normalised():
    assert vin_normalize(" ｌｓｖ au218x　N2183294 ") == "LSVAU218XN2183294"
    assert vin_validate("lsv au218x n218 3294") == "LSVAU218XN2183294"


def test_the_check_digit_follows_the_standard_transliteration_and_weights():
    # 49 CFR 565 example and real VINs.
    assert check_digit_of("1M8GDM9AXKP042788") == "X"
    assert check_digit_of("1HGCM82633A004352") == "3"
    assert check_digit_of("JHMCM56557C404453") == "5"


def test_a_european_vin_without_a_check_digit_is_marked_as_not_using_one():
    check = check_digit_inspect("WVWZZZ1JZXW000001")

    assert (check.valid, check.required) == (None, False)
    assert "欧洲车辆不强制校验位" in check.note


def test_model_years_are_every_year_of_the_30_year_cycle_up_to_next_year():
    assert model_years("LSVAU218XN2183294", today=TODAY) == [1992, 2022]
    assert model_years("LSVAU218XA2183294", today=TODAY) == [1980, 2010]
    assert model_years("LSVAU218XV2183294", today=TODAY) == [1997, 2027]
    assert model_years("LSVAU218XW2183294", today=TODAY) == [1998]
    assert model_years("LSVAU218X92183294", today=TODAY) == [2009]


def test_a_year_code_outside_the_table_gives_no_model_year():
    assert model_years("WVWZZZ1JZZW000001", today=TODAY) == []
    assert model_years("WVWZZZ1JZ0W000001", today=TODAY) == []
