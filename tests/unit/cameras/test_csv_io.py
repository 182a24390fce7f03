from __future__ import annotations

import csv
import io

from commandroom.auth.permissions import SYSTEM as ADMIN
from commandroom.cameras.csv_io import decode_csv_bytes, export_cameras_csv, import_cameras_csv
from commandroom.cameras.registry import CameraRegistry

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
    assert [(e.line, ("name" in e.reason, "tcp or udp" in e.reason)) for e in report.errors] == [
        (3, (True, False)), (5, (False, True))]
    names = {c.name: c for c in registry.cameras(ADMIN)}
    assert set(names) == {"North", "Bridge", "Station"}
    assert registry.credentials(ADMIN, names["Bridge"]) == ("officer", "hunter22")
    assert {g.name for g in registry.groups(ADMIN)} == {"Xinhua", "Market"}


def test_existing_and_repeated_names_are_reported(registry: CameraRegistry) -> None:
    import_cameras_csv(registry, ADMIN, FIVE_ROWS)
    report = import_cameras_csv(registry, ADMIN, "name,main_url\nNorth,rtsp://h/1\nNew,rtsp://h/2\n"
                                          "New,rtsp://h/3\n")
    assert report.imported == ["New"]
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "a camera named 'North' already exists"),
        (4, "camera 'New' appears twice in the file")]


def test_missing_columns_and_ragged_rows(registry: CameraRegistry) -> None:
    report = import_cameras_csv(registry, ADMIN, "name,junction\nA,B\n")
    assert not report.imported and "main_url" in report.errors[0].reason
    report = import_cameras_csv(registry, ADMIN, "name,main_url\nA,rtsp://h/1,extra\n")
    assert not report.imported and report.errors[0].line == 2


def test_gb18030_and_bom_are_read() -> None:
    text = "name,main_url\n新华路北,rtsp://h/1\n"
    assert decode_csv_bytes(text.encode("gb18030")) == text
    assert decode_csv_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_export_round_trips_without_credentials(registry: CameraRegistry) -> None:
    import_cameras_csv(registry, ADMIN, FIVE_ROWS)
    exported = export_cameras_csv(registry, ADMIN)
    assert "hunter22" not in exported and "officer" not in exported
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["name"] for r in rows} == {"North", "Bridge", "Station"}
    north = next(r for r in rows if r["name"] == "North")
    assert north["group"] == "Xinhua" and north["map_x"] == "0.5"
