"""Which registry camera a discovered device already is, and the endpoint the wizard is
offered for a device: plain logic, no Qt (it lived in ui/onvif/endpoints.py)."""

from __future__ import annotations

from commandroom.cameras.registry import Camera
from commandroom.onvif.addresses import DEFAULT_PORT
from commandroom.onvif.models import DiscoveredDevice
from commandroom.onvif.registered_hosts import RegisteredHosts, endpoint_of_device, url_host


def _device(address: str, *xaddrs: str) -> DiscoveredDevice:
    return DiscoveredDevice(address=address, xaddrs=tuple(xaddrs), scopes=())


def _camera(name: str, main_url: str = "", onvif_url: str = "", sub_url: str = "") -> Camera:
    return Camera(id=None, name=name, main_url=main_url, sub_url=sub_url, onvif_url=onvif_url)


def test_a_camera_with_an_onvif_address_matches_on_host_and_port_only() -> None:
    # Two cameras behind one router, told apart by the forwarded port.
    known = RegisteredHosts([
        _camera("Gate", onvif_url="http://192.0.2.7:8001/onvif/device_service"),
        _camera("Yard", onvif_url="192.0.2.7:8002"),
    ])
    assert known.match(_device("192.0.2.7", "http://192.0.2.7:8002/onvif/device_service")) \
        == "Yard"
    assert known.match(_device("192.0.2.7", "http://192.0.2.7:8003/onvif/device_service")) \
        is None


def test_a_camera_without_one_matches_on_the_host_of_its_streams() -> None:
    known = RegisteredHosts([
        _camera("Bridge", main_url="rtsp://user:pw@192.0.2.20:554/main",
                sub_url="rtsp://192.0.2.21/sub"),
    ])
    assert known.match(_device("192.0.2.20")) == "Bridge"
    assert known.match(_device("192.0.2.21")) == "Bridge"  # the sub stream's host too
    assert known.match(_device("192.0.2.22")) is None


def test_hosts_are_compared_without_case_and_the_first_camera_keeps_a_shared_host() -> None:
    known = RegisteredHosts([_camera("First", main_url="rtsp://CAM-A.station/1"),
                             _camera("Second", main_url="rtsp://cam-a.station/2")])
    assert known.match(_device("Cam-A.Station")) == "First"


def test_the_wizard_is_offered_the_first_readable_xaddr_or_the_default_port() -> None:
    device = _device("192.0.2.9", "not a url at all ::", "http://192.0.2.9:8080/onvif/device_service")
    assert endpoint_of_device(device) == ("192.0.2.9", 8080)
    assert endpoint_of_device(_device("192.0.2.9")) == ("192.0.2.9", DEFAULT_PORT)


def test_url_host_reads_a_host_or_nothing() -> None:
    assert url_host(" RTSP://Cam.Local:554/x ") == "cam.local"
    assert url_host("http://[::1") == ""  # malformed: no host rather than an error
    assert url_host("") == ""
