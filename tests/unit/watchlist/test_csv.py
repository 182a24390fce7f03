from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.csvfiles import HEADER_NOT_TEXT, LINE_NOT_TEXT
from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.csv_import import UPDATE, Duplicate, ImportFileError
from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.records import EntryInput
from commandroom.watchlist.service import WatchlistService
from tests.unit.watchlist.support import SUPERVISOR, RecordingAudit, id_number, make_sessions

ZHANG_ID = id_number("42010219900307421")
LI_ID = id_number("11010519491231002")
HEADER = "kind,name,aliases,id_number,sex,date_of_birth,plate,colour,category,risk,notes,photo\n"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(WatchEntryRow)) or 0)


def test_good_rows_go_in_and_broken_rows_are_listed_by_line(
    service: WatchlistService, tmp_path: Path, audit: RecordingAudit
) -> None:
    csv_file = _write(tmp_path / "list.csv", HEADER + "\n".join([
        f"person,张伟,小张;Zhang Wei,{ZHANG_ID},,,,,wanted,high,,",  # 2 good
        "person,王五,,110105194912310021,,,,,,,,",  # 3 bad check character
        'person,赵六,,,,1990-02-30,,,,,"a note\nover two lines",',  # 4-5 bad date
        ",,,,,,,,,,,",  # 6 blank: ignored
        "vehicle,,,,,,鄂G·12345,white,suspect,,,",  # 7 good
        "person,,,,,,,,,,,",  # 8 a kind but no name
        "person,No Name Given,,,,,,,vip,,,",  # 9 bad category
        "person,Too Many,,,,,,,,,,,extra",  # 10 too many cells
        "person,孙七,,,,,,,,,,face.jpg",  # 11 photo named, no folder given
        "vehicle,,,,,,AB 1234,,,,,",  # 12 good, foreign plate kept
    ]) + "\n")
    report = service.import_csv(SUPERVISOR, csv_file)
    assert [line for line, _ in report.created] == [2, 7, 12]
    assert [(e.line, e.reason.split(":")[0]) for e in report.errors] == [
        (3, "id_number"), (4, "date_of_birth"), (8, "name"), (9, "category"),
        (10, "13 cells but 12 columns"), (11, "photo"),
    ]
    assert "check character" in report.errors[0].reason
    assert report.rows == 9 and report.encoding == "utf-8-sig" and report.applied
    zhang = service.get(SUPERVISOR, report.created_ids[0])
    assert zhang.aliases == ("小张", "Zhang Wei") and zhang.risk == "high"
    assert service.get(SUPERVISOR, report.created_ids[2]).plate == "AB 1234"
    assert audit.actions() == ["watchlist.import"]
    assert audit.events[0][3]["error_lines"] == [3, 4, 8, 9, 10, 11]


def test_kind_category_and_risk_in_chinese_words(
    service: WatchlistService, tmp_path: Path
) -> None:
    """The zh_CN screens say 在逃人员/高: a spreadsheet saying so imports; a wrong word gets
    a message naming the codes, which the Chinese UI words as the same Chinese names."""
    csv_file = _write(tmp_path / "zh.csv", HEADER + "\n".join([
        f"人员,张伟,,{ZHANG_ID},,,,,在逃人员,高,,",
        "车辆,,,,,,鄂G·12345,,嫌疑人,低,,",
        "人员,李四,,,,,,,贵宾,,,",
    ]) + "\n", "gb18030")
    report = service.import_csv(SUPERVISOR, csv_file)
    first, second = (service.get(SUPERVISOR, i) for i in report.created_ids)
    assert (first.kind, first.category, first.risk) == ("person", "wanted", "high")
    assert (second.kind, second.category, second.risk) == ("vehicle", "suspect", "low")
    assert [(e.line, e.reason.split(":")[0]) for e in report.errors] == [(4, "category")]


def test_gb18030_file_is_detected(service: WatchlistService, tmp_path: Path) -> None:
    # Chinese headers too, as a spreadsheet saved by WPS on a Chinese Windows would have.
    text = f"类型,姓名,别名,身份证号,车牌号\n人员,李娜,娜娜,{LI_ID},\n车辆,,,,粤B·D12345\n"
    csv_file = _write(tmp_path / "gbk.csv", text, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        csv_file.read_bytes().decode("utf-8")
    report = service.import_csv(SUPERVISOR, csv_file)
    assert report.encoding == "gb18030" and report.errors == []
    li = service.get(SUPERVISOR, report.created_ids[0])
    assert (li.name, li.aliases, li.id_number) == ("李娜", ("娜娜",), LI_ID)
    assert service.get(SUPERVISOR, report.created_ids[1]).plate_normalised == "粤BD12345"


def test_utf8_with_bom_reads_the_first_header(service: WatchlistService, tmp_path: Path) -> None:
    csv_file = _write(tmp_path / "bom.csv", f"name,id_number\n张伟,{ZHANG_ID}\n", "utf-8-sig")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    report = service.import_csv(SUPERVISOR, csv_file)
    assert report.errors == [] and report.ignored_columns == []
    assert service.get(SUPERVISOR, report.created_ids[0]).name == "张伟"


def _duplicates_file(tmp_path: Path) -> Path:
    return _write(tmp_path / "dups.csv", HEADER + "\n".join([
        f"person,张伟 (new),,{ZHANG_ID},,,,,,high,second file,",  # 2: duplicate of the DB
        "vehicle,,,,,,鄂G 12345,red,,,,",  # 3: duplicate of the DB (plate without dot)
        f"person,李娜,,{LI_ID},,,,,,,,",  # 4: new
        f"person,李娜,娜娜,{LI_ID.lower()},,,,,,low,,",  # 5: duplicate of line 4
    ]) + "\n")


@pytest.fixture
def existing(service: WatchlistService) -> tuple[int, int]:
    zhang = service.create(SUPERVISOR, EntryInput(name="张伟", id_number=ZHANG_ID, notes="kept"))
    van = service.create(SUPERVISOR, EntryInput(kind="vehicle", plate="鄂G·12345"))
    return zhang.id, van.id


def test_preview_lists_duplicates_and_writes_nothing(
    service: WatchlistService, tmp_path: Path, existing: tuple[int, int],
    sessions: sessionmaker[Session],
) -> None:
    report = service.preview_import(SUPERVISOR, _duplicates_file(tmp_path))
    assert not report.applied and report.new_lines == [4]
    assert report.duplicates == [
        Duplicate(2, f"ID number {ZHANG_ID}", existing[0], None),
        Duplicate(3, "plate 鄂G12345", existing[1], None),
        Duplicate(5, f"ID number {LI_ID}", None, 4),
    ]
    assert _count(sessions) == 2


def test_duplicates_skipped(
    service: WatchlistService, tmp_path: Path, existing: tuple[int, int], audit: RecordingAudit
) -> None:
    report = service.import_csv(SUPERVISOR, _duplicates_file(tmp_path), policy="skip")
    assert [d.line for d in report.skipped] == [2, 3, 5]
    assert [line for line, _ in report.created] == [4] and report.updated == []
    assert service.get(SUPERVISOR, existing[0]).name == "张伟"
    assert service.get(SUPERVISOR, report.created_ids[0]).aliases == ()


def test_duplicates_updated_keep_what_the_row_leaves_empty(
    service: WatchlistService, tmp_path: Path, existing: tuple[int, int], audit: RecordingAudit
) -> None:
    report = service.import_csv(SUPERVISOR, _duplicates_file(tmp_path), policy=UPDATE)
    assert [line for line, _ in report.updated] == [2, 3, 5] and report.skipped == []
    zhang = service.get(SUPERVISOR, existing[0])
    assert (zhang.name, zhang.risk, zhang.notes) == ("张伟 (new)", "high", "second file")
    assert service.get(SUPERVISOR, existing[1]).colour == "red"
    li = service.get(SUPERVISOR, report.created_ids[0])
    assert (li.aliases, li.risk) == (("娜娜",), "low")  # line 5 updated line 4's new entry
    edits = [e for e in audit.events if e[1] == "watchlist.edit"]
    assert edits[0][3]["before"]["name"] == "张伟" and edits[0][3]["after"]["name"] == "张伟 (new)"
    assert edits[0][3]["line"] == 2


def test_duplicate_policy_per_line(
    service: WatchlistService, tmp_path: Path, existing: tuple[int, int]
) -> None:
    report = service.import_csv(SUPERVISOR, _duplicates_file(tmp_path), policy={3: UPDATE})
    assert [line for line, _ in report.updated] == [3]
    assert [d.line for d in report.skipped] == [2, 5]
    assert service.get(SUPERVISOR, existing[1]).colour == "red"
    with pytest.raises(ValueError, match="skip' or 'update"):
        service.import_csv(SUPERVISOR, _duplicates_file(tmp_path), policy="overwrite")


def test_photos_come_from_the_folder_by_file_name(
    service: WatchlistService, tmp_path: Path
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "zhang.jpg").write_bytes(b"zhang face")
    (photos / "zhang2.jpg").write_bytes(b"zhang side")
    csv_file = _write(tmp_path / "p.csv", HEADER + "\n".join([
        f"person,张伟,,{ZHANG_ID},,,,,,,,zhang.jpg;zhang2.jpg",
        "person,王五,,,,,,,,,,missing.jpg",
        "person,钱八,,,,,,,,,,../p.csv",
    ]) + "\n")
    report = service.import_csv(SUPERVISOR, csv_file, photos)
    assert report.errors[0].line == 3 and "missing.jpg" in report.errors[0].reason
    assert report.errors[1].line == 4 and "plain file name" in report.errors[1].reason
    zhang = service.get(SUPERVISOR, report.created_ids[0])
    assert [(service.data_dir / p.path).read_bytes() for p in zhang.photos] == [
        b"zhang face", b"zhang side"
    ]
    assert zhang.photos[0].sha256 == hashlib.sha256(b"zhang face").hexdigest()


def test_a_failing_transaction_writes_nothing_and_removes_copied_photos(
    service: WatchlistService, tmp_path: Path, audit: RecordingAudit,
    sessions: sessionmaker[Session],
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "a.jpg").write_bytes(b"a")
    rows = "person,甲,,,,,,,,,,a.jpg\nperson,乙,,,,,,,,,,\n"
    csv_file = _write(tmp_path / "p.csv", HEADER + rows)
    audit.fail_on = "watchlist.import"
    with pytest.raises(RuntimeError, match="simulated"):
        service.import_csv(SUPERVISOR, csv_file, photos)
    assert _count(sessions) == 0
    assert list((service.data_dir / "watchlist" / "photos").iterdir()) == []


def test_whole_file_problems(service: WatchlistService, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="empty"):
        service.import_csv(SUPERVISOR, _write(tmp_path / "e.csv", ""))
    with pytest.raises(ImportFileError, match="no name, id_number or plate"):
        service.import_csv(SUPERVISOR, _write(tmp_path / "h.csv", "foo,bar\n1,2\n"))
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x81\x30\xff\xff\nname\n")  # invalid in UTF-8 and in GB18030
    with pytest.raises(ImportFileError, match=r"UTF-8, UTF-16 .*, GB18030") as caught:
        service.import_csv(SUPERVISOR, binary)
    assert caught.value.notice.get("problem").code == HEADER_NOT_TEXT  # type: ignore[union-attr]


def test_an_undecodable_line_costs_that_row_only(
    service: WatchlistService, tmp_path: Path
) -> None:
    csv_file = tmp_path / "mixed.csv"
    csv_file.write_bytes("name,notes\n张伟,a\n".encode() + b"\x81\x30\xff\xff,b\n"
                         + "李娜,c\n".encode())  # line 3 is neither UTF-8 nor GB18030
    report = service.import_csv(SUPERVISOR, csv_file)
    assert [line for line, _ in report.created] == [2, 4]
    [error] = report.errors
    assert (error.line, [p.code for p in error.problems]) == (3, [LINE_NOT_TEXT])


def test_utf16_with_byte_order_mark(service: WatchlistService, tmp_path: Path) -> None:
    csv_file = _write(tmp_path / "u16.csv", f"name,id_number\n张伟,{ZHANG_ID}\n", "utf-16")
    report = service.import_csv(SUPERVISOR, csv_file)
    assert (report.encoding, report.errors, len(report.created)) == ("utf-16", [], 1)
    assert service.get(SUPERVISOR, report.created_ids[0]).name == "张伟"


def test_export_round_trips_with_photos(
    service: WatchlistService, tmp_path: Path, sessions: sessionmaker[Session],
    audit: RecordingAudit,
) -> None:
    face = tmp_path / "face.jpg"
    face.write_bytes(b"face")
    zhang = service.create(SUPERVISOR, EntryInput(
        name="张伟", aliases=("小张", "Zhang Wei"), id_number=ZHANG_ID, category="wanted",
        risk="high", reason="=HYPERLINK(\"x\")", notes="line one\nline two, with comma",
    ))
    service.add_photo(SUPERVISOR, zhang.id, face)
    service.create(SUPERVISOR, EntryInput(kind="vehicle", plate="鄂A·D12345", colour="白"))
    archived = service.create(SUPERVISOR, EntryInput(name="old"))
    service.archive(SUPERVISOR, archived.id)

    out, out_photos = tmp_path / "out" / "list.csv", tmp_path / "out" / "photos"
    assert service.export_csv(SUPERVISOR, out, out_photos) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in out.read_text("utf-8-sig")  # not run as a formula in Excel
    assert audit.actions()[-1] == "watchlist.export"

    other_db = make_sessions(tmp_path / "other.db")
    other = WatchlistService(other_db, RecordingAudit(other_db), EventBus(),
                             references=sightings_of_entry, data_dir=tmp_path / "other")
    report = other.import_csv(SUPERVISOR, out, out_photos)
    assert report.errors == [] and len(report.created) == 2
    again = [other.get(SUPERVISOR, i) for i in report.created_ids]
    originals = [service.get(SUPERVISOR, i) for i in (zhang.id, zhang.id + 1)]
    assert [v.as_input() for v in again] == [v.as_input() for v in originals]
    assert again[0].photos[0].sha256 == originals[0].photos[0].sha256
