from __future__ import annotations

import csv
import io

import pytest

from commandroom.auth.permissions import SYSTEM as ADMIN
from commandroom.cameras.csv_io import (
    FLAG_INVALID,
    MISSING_COLUMNS,
    TWICE_IN_FILE,
    export_cameras_csv,
    import_cameras_csv,
)
from commandroom.cameras.registry import (
    CAMERA_EXISTS,
    NAME_REQUIRED,
    TRANSPORT_INVALID,
    Camera,
    CameraRegistry,
)
from commandroom.csvfiles import FIELD_TOO_LONG, LINE_NOT_TEXT, NOT_CSV, decode_csv

FIVE_ROWS = """name,junction,group,main_url,sub_url,transport,user,password,map_x
North,Xinhua Rd x G318,Xinhua,rtsp://127.0.0.1:8554/live1,rtsp://127.0.0.1:8554/live2,tcp,,,0.5
,Nameless junction,Xinhua,rtsp://127.0.0.1:8554/live1,,tcp,,,
Bridge,Market St,Market,rtsp://127.0.0.1:8554/live3,,udp,officer,hunter22,
Gate,School,Market,rtsp://127.0.0.1:8554/live4,,carrier-pigeon,,,
Station,County Rd 12,,rtsp://127.0.0.1:8554/live5,,,,,0.25
"""


def test_three_good_rows_and_two_bad_ones(registry: CameraRegistry) -> None:
    report = import_cameras_csv(registry, ADMIN, FIVE_ROWS)
    assert report.imported == ["North", "Bridge", "Station"]
    assert [(e.line, e.notice.code) for e in report.errors] == [
        (3, NAME_REQUIRED), (5, TRANSPORT_INVALID)]
    assert report.errors[1].reason == "Transport must be tcp or udp, not 'carrier-pigeon'."
    names = {c.name: c for c in registry.cameras(ADMIN)}
    assert set(names) == {"North", "Bridge", "Station"}
    assert registry.credentials(ADMIN, names["Bridge"]) == ("officer", "hunter22")
    assert {g.name for g in registry.groups(ADMIN)} == {"Xinhua", "Market"}


def test_existing_and_repeated_names_are_reported(registry: CameraRegistry) -> None:
    import_cameras_csv(registry, ADMIN, FIVE_ROWS)
    report = import_cameras_csv(registry, ADMIN, "name,main_url\nNorth,rtsp://h/1\nNew,rtsp://h/2\n"
                                          "New,rtsp://h/3\n")
    assert report.imported == ["New"]
    assert [(e.line, e.notice.code, e.notice.get("name")) for e in report.errors] == [
        (2, CAMERA_EXISTS, "North"), (4, TWICE_IN_FILE, "New")]
    assert report.errors[1].reason == "camera 'New' appears twice in the file"


def test_missing_columns_and_ragged_rows(registry: CameraRegistry) -> None:
    report = import_cameras_csv(registry, ADMIN, "name,junction\nA,B\n")
    assert not report.imported and report.errors[0].notice.code == MISSING_COLUMNS
    assert "main_url" in report.errors[0].reason
    report = import_cameras_csv(registry, ADMIN, "name,main_url\nA,rtsp://h/1,extra\n")
    assert not report.imported and report.errors[0].line == 2


def test_gb18030_and_bom_are_read() -> None:
    text = "name,main_url\n新华路北,rtsp://h/1\n"
    assert decode_csv(text.encode("gb18030")).text == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")).text == text


def test_a_200000_character_field_costs_its_row_only(registry: CameraRegistry) -> None:
    huge = "x" * 200_000
    text = (f"name,junction,main_url\nNorth,a,rtsp://h/1\nHuge,\"{huge}\",rtsp://h/2\n"
            "South,b,rtsp://h/3\n")
    report = import_cameras_csv(registry, ADMIN, text)
    assert report.imported == ["North", "South"]
    [error] = report.errors
    assert (error.line, error.notice.code) == (3, FIELD_TOO_LONG)
    assert error.reason == "the junction field has 200000 characters (at most 200)"


def test_a_broken_record_is_reported_and_the_rest_imported(registry: CameraRegistry) -> None:
    text = 'name,main_url\nA,rtsp://h/1\n"B"x,rtsp://h/2\nC,rtsp://h/3\n'
    report = import_cameras_csv(registry, ADMIN, text)
    assert report.imported == ["A", "C"]
    assert [(e.line, e.notice.code) for e in report.errors] == [(3, NOT_CSV)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_recognised_by_its_byte_order_mark(registry: CameraRegistry,
                                                     encoding: str) -> None:
    text = "name,junction,main_url\n新华路北,东门,rtsp://h/1\nSouth,南门,rtsp://h/2\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # Excel's "Unicode text" puts the mark in front
        data = ("\ufeff" + text).encode(encoding)
    report = import_cameras_csv(registry, ADMIN, data)
    assert (report.imported, report.errors, report.encoding) == (
        ["新华路北", "South"], [], "utf-16")
    assert {c.junction for c in registry.cameras(ADMIN)} == {"东门", "南门"}


def test_latin1_lines_are_refused_one_by_one_and_the_rest_imported(
    registry: CameraRegistry,
) -> None:
    data = (b"name,junction,main_url\nNorth,Main St,rtsp://h/1\n"
            + "Café,Rue René,rtsp://h/2\n".encode("latin-1")
            + "South,新华路,rtsp://h/3\n".encode())
    report = import_cameras_csv(registry, ADMIN, data)
    assert report.imported == ["North", "South"]
    [error] = report.errors
    assert (error.line, error.notice.code) == (3, LINE_NOT_TEXT)
    assert error.reason == ("this line is not UTF-8 text (accepted encodings: UTF-8, "
                            "UTF-16 (with byte-order mark), GB18030)")


def test_bad_flag_names_its_column(registry: CameraRegistry) -> None:
    report = import_cameras_csv(registry, ADMIN, "name,main_url,ptz\nA,rtsp://h/1,maybe\n")
    [error] = report.errors
    assert (error.notice.code, error.notice.get("column")) == (FLAG_INVALID, "ptz")


def test_export_escapes_formula_cells_and_imports_back(registry: CameraRegistry) -> None:
    registry.add(ADMIN, Camera(id=None, name="=cmd|' /C calc'!A0", junction="@SUM(1+1)",
                               main_url="rtsp://h/1", map_x=-0.5))
    exported = export_cameras_csv(registry, ADMIN)
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["junction"] == "'@SUM(1+1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())
    registry.delete(ADMIN, registry.cameras(ADMIN)[0].id or 0)
    report = import_cameras_csv(registry, ADMIN, exported)
    assert report.errors == []
    [back] = registry.cameras(ADMIN)
    assert (back.name, back.junction, back.map_x) == ("=cmd|' /C calc'!A0", "@SUM(1+1)", -0.5)


def test_export_round_trips_without_credentials(registry: CameraRegistry) -> None:
    import_cameras_csv(registry, ADMIN, FIVE_ROWS)
    exported = export_cameras_csv(registry, ADMIN)
    assert "hunter22" not in exported and "officer" not in exported
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["name"] for r in rows} == {"North", "Bridge", "Station"}
    north = next(r for r in rows if r["name"] == "North")
    assert north["group"] == "Xinhua" and north["map_x"] == "0.5"


def test_event_settings_go_in_and_out_and_bad_ones_cost_their_row(
        registry: CameraRegistry) -> None:
    text = (
        "name,main_url,event_source,event_url,event_channel,motion_detection,user,password\n"
        "Checkpoint,rtsp://127.0.0.1:8554/c1,isapi,http://admin:pw1@127.0.0.1:8080,3,no,,\n"
        "Lane,rtsp://127.0.0.1:8554/c2,,,,yes,,\n"
        "Odd,rtsp://127.0.0.1:8554/c3,carrier-pigeon,,,,,\n"
        "Ftp,rtsp://127.0.0.1:8554/c4,dahua,ftp://127.0.0.1,,,,\n"
        "Zero,rtsp://127.0.0.1:8554/c5,dahua,,0,,,\n"
    )
    report = import_cameras_csv(registry, ADMIN, text)
    assert report.imported == ["Checkpoint", "Lane"]
    assert [(e.line, e.notice.code) for e in report.errors] == [
        (4, "camera.event_source_invalid"), (5, "camera.event_url_unsupported"),
        (6, "camera.event_channel_invalid")]
    by_name = {c.name: c for c in registry.cameras(ADMIN)}
    checkpoint = by_name["Checkpoint"]
    # The password typed into the event address went to the secret store, like a stream's.
    assert (checkpoint.event_source, checkpoint.event_url, checkpoint.event_channel) == (
        "isapi", "http://127.0.0.1:8080", 3)
    assert registry.credentials(ADMIN, checkpoint) == ("admin", "pw1")
    assert by_name["Lane"].motion_detection and by_name["Lane"].event_source == ""
    rows = list(csv.DictReader(io.StringIO(export_cameras_csv(registry, ADMIN))))
    assert [(r["name"], r["event_source"], r["event_url"], r["event_channel"],
             r["motion_detection"]) for r in rows] == [
        ("Checkpoint", "isapi", "http://127.0.0.1:8080", "3", "no"),
        ("Lane", "", "", "1", "yes")]
