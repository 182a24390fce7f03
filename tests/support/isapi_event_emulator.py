"""A Hikvision camera's ``/ISAPI/Event/notification/alertStream`` on 127.0.0.1.

What a real camera sends (Hikvision ISAPI / Traffic SDK guides): HTTP 200 with
``Content-Type: multipart/mixed; boundary=boundary`` and no end; per alert a part
``Content-Type: application/xml; charset="UTF-8"`` + ``Content-Length`` holding an
``EventNotificationAlert`` (namespace hikvision.com or isapi.org ver20); an ANPR alert
lists its pictures in ``ANPR/pictureInfoList`` and is followed by one ``image/jpeg``
part per picture (``Content-Disposition`` naming the file); a ``videoloss`` ``inactive``
alert every few seconds is the heartbeat. Tests push alerts with ``push_alert``.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import cv2
import numpy as np

from tests.support.multipart_event_server import MultipartEventServer, encode_part

HIK_NS = "http://www.hikvision.com/ver20/XMLSchema"
ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
BOUNDARY = "boundary"
PATH = "/ISAPI/Event/notification/alertStream"
CHINA = dt.timezone(dt.timedelta(hours=8))


def jpeg(width: int = 320, height: int = 180, shade: int = 90) -> bytes:
    """A real JPEG (the client keeps the bytes as sent; the UI will decode them)."""
    image = np.full((height, width, 3), shade, np.uint8)
    cv2.putText(image, "ANPR", (10, height // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                (255, 255, 255), 2)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return bytes(data.tobytes())


def alert_xml(event_type: str, state: str = "active", *, channel: int = 1,
              when: dt.datetime | None = None, namespace: str = HIK_NS,
              plate: str | None = None, plate_colour: str = "blue",
              picture_names: tuple[str, ...] = (), post_count: int = 1) -> bytes:
    when = when or dt.datetime.now(CHINA)
    anpr = ""
    if plate is not None:
        infos = "".join(
            f"<pictureInfo><fileName>{escape(name)}</fileName>"
            f"<type>{escape(name.rsplit('.', 1)[0])}</type></pictureInfo>"
            for name in picture_names)
        anpr = (f"<ANPR><country>CN</country><licensePlate>{escape(plate)}</licensePlate>"
                f"<line>1</line><direction>forward</direction><confidenceLevel>96"
                f"</confidenceLevel><plateType>civilian</plateType><plateColor>"
                f"{escape(plate_colour)}</plateColor><vehicleType>vehicle</vehicleType>"
                f"<detectDir>8</detectDir><pictureInfoList>{infos}</pictureInfoList></ANPR>")
    region = ("<DetectionRegionList><DetectionRegionEntry><regionID>1</regionID>"
              "</DetectionRegionEntry></DetectionRegionList>"
              if event_type in ("linedetection", "fielddetection") else "")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\r\n'
            f'<EventNotificationAlert version="2.0" xmlns="{namespace}">\r\n'
            f"<ipAddress>127.0.0.1</ipAddress><portNo>80</portNo><protocol>HTTP</protocol>"
            f"<macAddress>44:19:b6:00:00:01</macAddress><channelID>{channel}</channelID>"
            f"<dateTime>{when.isoformat(timespec='seconds')}</dateTime>"
            f"<activePostCount>{post_count}</activePostCount>"
            f"<eventType>{escape(event_type)}</eventType><eventState>{state}</eventState>"
            f"<eventDescription>{escape(event_type)} alarm</eventDescription>"
            f"<channelName>Junction {channel}</channelName>{region}{anpr}"
            f"\r\n</EventNotificationAlert>\r\n").encode()


def xml_part(xml: bytes) -> bytes:
    return f"--{BOUNDARY}\r\n".encode() + encode_part(
        {"Content-Type": 'application/xml; charset="UTF-8"'}, xml)


def picture_part(name: str, data: bytes) -> bytes:
    return f"--{BOUNDARY}\r\n".encode() + encode_part({
        "Content-Disposition": f'form-data; name="{name}"; filename="{name}"',
        "Content-Type": "image/jpeg", "Content-ID": name}, data)


class IsapiEventEmulator(MultipartEventServer):
    def __init__(self, *, heartbeat_s: float = 0.5, user: str = "admin",
                 password: str = "Secret-123") -> None:
        super().__init__(
            path_ok=lambda path: path.split("?")[0] == PATH,
            content_type=f"multipart/mixed; boundary={BOUNDARY}",
            heartbeat_part=lambda: xml_part(alert_xml("videoloss", "inactive")),
            heartbeat_s=heartbeat_s, user=user, password=password)

    def push_alert(self, event_type: str, state: str = "active", **kwargs: object) -> None:
        self.send(xml_part(alert_xml(event_type, state, **kwargs)))  # type: ignore[arg-type]

    def push_plate(self, plate: str, colour: str = "blue", *, channel: int = 1,
                   pictures: dict[str, bytes] | None = None,
                   when: dt.datetime | None = None, namespace: str = ISAPI_NS) -> None:
        """An ANPR alert and its picture parts, as one write (they travel together)."""
        pictures = pictures if pictures is not None else {
            "licensePlatePicture.jpg": jpeg(160, 40, 200),
            "detectionPicture.jpg": jpeg(640, 360, 90)}
        xml = alert_xml("ANPR", channel=channel, when=when, namespace=namespace, plate=plate,
                        plate_colour=colour, picture_names=tuple(pictures))
        self.send(xml_part(xml) + b"".join(picture_part(n, d) for n, d in pictures.items()))

    def push_bad_xml(self) -> None:
        self.send(xml_part(b"<EventNotificationAlert><eventType>VMD</eventTy"))

    def push_oversized(self, size: int) -> None:
        """An image part of ``size`` bytes (sent whole, as a faulty camera would)."""
        self.send(picture_part("huge.jpg", b"\xff" * size))

    def drop_mid_part(self, part: bytes | None = None) -> None:
        super().drop_mid_part(part or xml_part(alert_xml("VMD")))
