from __future__ import annotations

import pytest

from commandroom.watchlist.plates import (
    NOT_MAINLAND_NOTE,
    InvalidPlate,
    check_plate,
    normalise_plate,
)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("鄂G·12345", "鄂G12345"),
        ("鄂g.12345", "鄂G12345"),
        ("鄂G 12345", "鄂G12345"),
        ("鄂G-12345", "鄂G12345"),
        ("鄂Ｇ・１２３４５", "鄂G12345"),  # full-width letters and digits from a Chinese IME
        ("  鄂 g · 1 2 3 4 5 ", "鄂G12345"),
        ("ab 1234", "AB1234"),
    ],
)
def test_normalisation_drops_separators_and_upper_cases(typed: str, normalised: str) -> None:
    assert normalise_plate(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "fmt"),
    [
        ("鄂G·12345", "standard"),
        ("京A·B12C3", "standard"),
        ("鄂A·1234警", "special"),
        ("粤Z·A123港", "special"),
        ("鄂A·D12345", "new_energy"),  # small car, pure electric
        ("鄂A·FA1234", "new_energy"),  # small car, other energy, letter second
        ("鄂A·12345D", "new_energy"),  # large vehicle, D last
        ("鄂A·12345F", "new_energy"),
    ],
)
def test_mainland_formats(typed: str, fmt: str) -> None:
    check = check_plate(typed)
    assert check.format == fmt
    assert check.mainland and check.note == ""


@pytest.mark.parametrize(
    "typed",
    [
        "AB 1234",  # Hong Kong
        "WJ12345",  # armed police
        "鄂GO1234",  # letter O is never used on a mainland plate
        "鄂G1234",  # one character short (partly read)
        "鄂AF1A234",  # new-energy small car needs 4 digits at the end
        "鄂A12345X",  # large new-energy ends in D or F only
        "X鄂12345",
    ],
)
def test_other_formats_are_kept_as_typed_with_a_note(typed: str) -> None:
    check = check_plate(typed)
    assert check.format == "other"
    assert check.typed == typed.strip()
    assert check.note == NOT_MAINLAND_NOTE


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("", "empty"), (" · - ", "empty"), ("A" * 21, "at most 20"), ("AB\x07123", "control")],
)
def test_impossible_plates_are_refused(typed: str, reason: str) -> None:
    with pytest.raises(InvalidPlate, match=reason):
        check_plate(typed)
