from __future__ import annotations

from datetime import date

import pytest

from commandroom.watchlist.idcard import InvalidIdNumber, check_character, parse_id_number

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "value", "birth", "sex"),
    [
        # The worked example of GB 11643-1999 (check character X).
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "female"),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "female"),
        (" 110105 19491231 002X ", "11010519491231002X", date(1949, 12, 31), "female"),
        ("420102199003074214", "420102199003074214", date(1990, 3, 7), "male"),
        ("420102200002291239", "420102200002291239", date(2000, 2, 29), "male"),
    ],
)
def test_valid_numbers_are_normalised(text: str, value: str, birth: date, sex: str) -> None:
    parsed = parse_id_number(text, today=TODAY)
    assert (parsed.value, parsed.birth_date, parsed.sex) == (value, birth, sex)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "18 characters"),
        ("11010519491231002", "18 characters"),
        ("110105194912310021X", "18 characters"),
        ("110105491231002", "15-digit"),
        ("11010519491231002Y", "17 digits followed by a digit or X"),
        ("1101051949123100AX", "17 digits followed by a digit or X"),
        ("110105194912310021", "check character is 1, expected X"),
        ("110105190002291230", "not a real date"),  # 1900 was not a leap year
        ("110105199013011234", "not a real date"),  # month 13
        ("110105189912311234", "impossible"),  # before 1900
        ("110105203001011234", "impossible"),  # in the future
    ],
)
def test_invalid_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_id_number(text, today=TODAY)


def test_check_character_uses_the_gb11643_weights_and_map() -> None:
    # sum(weights * digits) mod 11 indexes "10X98765432"
    assert check_character("11010519491231002") == "X"
    assert check_character("00000000000000000") == "1"
    assert check_character("10000000000000000") == "5"  # 1*7 = 7, map[7] = "5"
