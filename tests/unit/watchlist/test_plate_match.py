"""Plate reads against plates on file: normalisation, each misread rule, the score order."""

from __future__ import annotations

import pytest

from commandroom.watchlist.plate_index import PlateIndex
from commandroom.watchlist.plate_match import (
    Edit,
    MatchRule,
    PlateMatch,
    normalise_read,
    split_plate,
)
from commandroom.watchlist.records import Category, Kind, Risk, SearchHit

ON_FILE = ("鄂G·12345", "粤B·D12345", "鄂A·1234警", "苏E·5678学", "京A·88888", "沪A·B0S1Z")


def _hit(entry_id: int, plate: str, risk: Risk = Risk.MEDIUM) -> SearchHit:
    return SearchHit(entry_id, Kind.VEHICLE, plate, "", plate, Category.WANTED, risk, False)


@pytest.fixture
def index() -> PlateIndex:
    made = PlateIndex()
    made.put_many(_hit(i, plate) for i, plate in enumerate(ON_FILE, 1))
    return made


def _best(index: PlateIndex, read: str) -> PlateMatch:
    found = index.match(read)
    assert found, f"{read} matched nothing"
    return found[0]


@pytest.mark.parametrize(("typed", "normalised"), [
    ("鄂A·12345", "鄂A12345"),
    ("鄂a 12345", "鄂A12345"),
    ("鄂A-12345", "鄂A12345"),
    ("鄂A.12345", "鄂A12345"),
    ("鄂Ａ１２３４５", "鄂A12345"),  # full width
    ("鄂Ａ－１２３４５", "鄂A12345"),
    ("鄂A‧12345", "鄂A12345"),  # hyphenation point, as Chinese input methods type it
    ("鄂A・12345", "鄂A12345"),  # katakana middle dot
    ("粤B·D12345", "粤BD12345"),  # new energy, small car: 8 characters
    ("粤B·12345D", "粤B12345D"),  # new energy, large vehicle
    ("鄂A·1234警", "鄂A1234警"),  # police
    ("苏E·5678学", "苏E5678学"),  # learner
    ("蓝鄂A12345", "鄂A12345"),  # colour a reader puts in front
    ("黄绿粤B·D12345", "粤BD12345"),
    ("黑A·12345", "黑A12345"),  # 黑 is Heilongjiang here, not a colour
    ("黑黑A12345", "黑A12345"),
    (" a12345 ", "A12345"),  # a reader that sees only the Latin part
    ("“鄂A12345”", "鄂A12345"),
])
def test_normalisation(typed: str, normalised: str) -> None:
    assert normalise_read(typed) == normalised


def test_the_province_character_is_split_from_the_tail() -> None:
    assert split_plate("鄂A12345").province == "鄂"
    assert split_plate("鄂A12345").tail == "A12345"
    assert split_plate("A12345").province == ""
    assert split_plate("粤BD12345").folded_tail == "8012345"


def test_an_exact_read_scores_one(index: PlateIndex) -> None:
    for plate in ON_FILE:
        best = _best(index, plate.replace("·", " "))
        assert (best.entry.plate, best.score, best.rules, best.edits) == (
            plate, 1.0, (MatchRule.EXACT,), ())


@pytest.mark.parametrize(("read", "plate", "got", "wanted"), [
    ("鄂G1Z345", "鄂G·12345", "Z", "2"),  # the example
    ("鄂GI2345", "鄂G·12345", "I", "1"),
    ("鄂G1234S", "鄂G·12345", "S", "5"),
    ("京A8888B", "京A·88888", "B", "8"),
    ("粤B·O12345", "粤B·D12345", "O", "D"),
    ("粤B·012345", "粤B·D12345", "0", "D"),
    ("沪A·80S1Z", "沪A·B0S1Z", "8", "B"),
    ("沪A·BOS1Z", "沪A·B0S1Z", "O", "0"),
    ("沪A·B051Z", "沪A·B0S1Z", "5", "S"),
    ("沪A·B0SIZ", "沪A·B0S1Z", "I", "1"),
    ("沪A·B0S12", "沪A·B0S1Z", "2", "Z"),
])
def test_each_confusable_pair(index: PlateIndex, read: str, plate: str, got: str,
                              wanted: str) -> None:
    best = _best(index, read)
    position = normalise_read(read).index(got, 2)
    assert best.entry.plate == plate
    assert best.edits == (Edit(MatchRule.CONFUSABLE, position, got, wanted),)
    assert best.score == 0.9


def test_several_confusables_cost_each(index: PlateIndex) -> None:
    best = _best(index, "粤8O12345")
    assert best.entry.plate == "粤B·D12345"
    assert best.rules == (MatchRule.CONFUSABLE,) and len(best.edits) == 2
    assert best.score == 0.8


def test_one_character_missing_or_extra(index: PlateIndex) -> None:
    missing = _best(index, "鄂G1245")
    assert missing.entry.plate == "鄂G·12345"
    assert missing.edits == (Edit(MatchRule.MISSING, 4, "", "3"),)
    assert missing.score == 0.75
    extra = _best(index, "鄂G123455")
    assert extra.entry.plate == "鄂G·12345"
    assert extra.rules == (MatchRule.EXTRA,) and extra.score == 0.75
    city_letter_dropped = _best(index, "粤D12345")
    assert city_letter_dropped.entry.plate == "粤B·D12345"
    assert city_letter_dropped.edits == (Edit(MatchRule.MISSING, 1, "", "B"),)
    extra_in_front = _best(index, "鄂GG12345")
    assert extra_in_front.edits == (Edit(MatchRule.EXTRA, 1, "G", ""),)


def test_one_arbitrary_character_wrong(index: PlateIndex) -> None:
    best = _best(index, "鄂G12375")
    assert best.edits == (Edit(MatchRule.SUBSTITUTION, 5, "7", "4"),)
    assert best.score == 0.7


def test_a_confusable_and_an_arbitrary_difference_together(index: PlateIndex) -> None:
    best = _best(index, "鄂GI2375")
    assert best.entry.plate == "鄂G·12345"
    assert [e.rule for e in best.edits] == [MatchRule.CONFUSABLE, MatchRule.SUBSTITUTION]
    assert best.score == 0.6


def test_a_read_without_its_province_matches_the_tail(index: PlateIndex) -> None:
    best = _best(index, "G12345")
    assert (best.entry.plate, best.rules, best.score) == (
        "鄂G·12345", (MatchRule.TAIL_ONLY,), 0.95)
    assert _best(index, "A1234警").entry.plate == "鄂A·1234警"
    assert _best(index, "BD12345").entry.plate == "粤B·D12345"
    misread = _best(index, "G1Z345")
    assert misread.rules == (MatchRule.TAIL_ONLY, MatchRule.CONFUSABLE)
    assert misread.score == 0.85


def test_a_different_province_is_one_arbitrary_difference(index: PlateIndex) -> None:
    best = _best(index, "湘G12345")
    assert (best.entry.plate, best.rules, best.score) == (
        "鄂G·12345", (MatchRule.PROVINCE_DIFFERS,), 0.7)
    assert index.match("湘G12375") == []  # and a second one is too many


def test_scores_order_the_rules() -> None:
    index = PlateIndex()
    index.put_many([_hit(1, "鄂G·12345"), _hit(2, "鄂G·1Z345"), _hit(3, "鄂G·12346"),
                    _hit(4, "鄂G·1234"), _hit(5, "湘G·12345")])
    found = index.match("鄂G12345", limit=10)
    assert [(m.entry.id, m.score) for m in found] == [
        (1, 1.0), (2, 0.9), (4, 0.75), (3, 0.7), (5, 0.7)]
    assert [m.rules[0] for m in found] == [
        MatchRule.EXACT, MatchRule.CONFUSABLE, MatchRule.EXTRA, MatchRule.SUBSTITUTION,
        MatchRule.PROVINCE_DIFFERS]
    assert [m.entry.id for m in index.match("鄂G12345", limit=2)] == [1, 2]
    assert [m.entry.id for m in index.match("鄂G12345", threshold=0.8)] == [1, 2]


def test_at_the_same_score_the_higher_risk_comes_first() -> None:
    index = PlateIndex()
    index.put_many([_hit(1, "鄂G·12345", Risk.LOW), _hit(2, "湘G·12345", Risk.HIGH)])
    assert [m.entry.id for m in index.match("G12345")] == [2, 1]


@pytest.mark.parametrize("read", [
    "鄂G98765",  # every character different
    "鄂G12378",  # two wrong
    "鄂G123",  # two missing
    "鄂G1234567",  # two extra
    "鄂G21345",  # two swapped: two wrong characters
    "",
    "无车牌",  # what a reader sends when it read no plate
    "鄂G12",  # a fragment: exact only, and nothing has this tail
])
def test_no_match_for_a_far_plate(index: PlateIndex, read: str) -> None:
    assert index.match(read) == []


def test_a_short_plate_on_file_matches_only_without_an_arbitrary_difference() -> None:
    index = PlateIndex()
    index.put(_hit(1, "鄂G·12"))
    assert [m.score for m in index.match("鄂G12")] == [1.0]
    assert [m.score for m in index.match("鄂GIZ")] == [0.8]
    assert index.match("鄂G13") == []
    assert index.match("鄂G123") == []
    assert index.match("湘G12") == []  # nor with another province
    assert [m.rules for m in index.match("G12")] == [(MatchRule.TAIL_ONLY,)]


def test_remove_and_re_put_change_what_matches(index: PlateIndex) -> None:
    index.remove(1)
    assert index.match("鄂G12345") == []
    index.put(_hit(1, "鄂G·54321"))
    assert _best(index, "鄂G54321").entry.id == 1
    assert index.match("鄂G12345") == []
    index.put(_hit(7, "湘A·88888"))  # shares its tail's keys with 京A·88888
    index.remove(5)
    assert [m.entry.id for m in index.match("京A88888")] == [7]
    assert len(index) == len(ON_FILE)
