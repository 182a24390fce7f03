"""SOAP bodies for the ONVIF emulator, shaped after recorded real cameras.

The envelope header copies the Hikvision-style firmware recorded in
tests/data/onvif/easy_onvif/IPG-8150PSS (same prefixes and vendor namespaces); the
"vendor" flavour copies the XiongMai one in SUNBA.405 (``SOAP-ENV``, Media2 as ``trt2``)
and adds an element with an undeclared ``ter:`` prefix, as seen in the wild.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from tests.support import onvif_emulator_recording as profile_g

HIK_NAMESPACES = (
    'xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:e="http://www.w3.org/2003/05/soap-encoding" '
    'xmlns:wsa="http://www.w3.org/2005/08/addressing" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
    'xmlns:tr2="http://www.onvif.org/ver20/media/wsdl" '
    'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" '
    'xmlns:tnshik="http://www.hikvision.com/2011/event/topics" '
    'xmlns:hikwsd="http://www.onvifext.com/onvif/ext/ver10/wsdl" '
    'xmlns:hikxsd="http://www.onvifext.com/onvif/ext/ver10/schema" '
    'xmlns:ter="http://www.onvif.org/ver10/error"'
)
# XiongMai style: other envelope prefix, Media2 bound to "trt2", no "ter" declared.
VENDOR_NAMESPACES = (
    'xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
    'xmlns:trt2="http://www.onvif.org/ver20/media/wsdl" '
    'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" '
    'xmlns:hikwsd="http://www.onvifext.com/onvif/ext/ver10/wsdl"'
)


def envelope(body: str, vendor: bool) -> bytes:
    if vendor:
        body = body.replace("tr2:", "trt2:")
        text = (f'<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope {VENDOR_NAMESPACES}>'
                f"<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>")
    else:
        text = (f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope {HIK_NAMESPACES}>'
                f"<s:Body>{body}</s:Body></s:Envelope>")
    return text.encode("utf-8")


def undeclared_extra(vendor: bool) -> str:
    """An element whose prefix nobody declared (real XiongMai/Hikvision replies do this)."""
    return "<ter:Extension><hikxsd:Note>vendor</hikxsd:Note></ter:Extension>" if vendor else ""


def fault(code: str, subcode: str, reason: str, vendor: bool) -> bytes:
    pfx = "SOAP-ENV" if vendor else "s"
    body = (f"<{pfx}:Fault><{pfx}:Code><{pfx}:Value>{pfx}:{code}</{pfx}:Value>"
            f"<{pfx}:Subcode><{pfx}:Value>ter:{subcode}</{pfx}:Value></{pfx}:Subcode>"
            f"</{pfx}:Code><{pfx}:Reason><{pfx}:Text xml:lang=\"en\">{escape(reason)}"
            f"</{pfx}:Text></{pfx}:Reason></{pfx}:Fault>")
    return envelope(body, vendor)


def system_date_and_time(utc: tuple[int, int, int, int, int, int]) -> str:
    y, mo, d, h, mi, s = utc
    return (
        "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
        "<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
        "<tt:TimeZone><tt:TZ>CST-8:00:00</tt:TZ></tt:TimeZone>"
        f"<tt:UTCDateTime><tt:Time><tt:Hour>{h}</tt:Hour><tt:Minute>{mi}</tt:Minute>"
        f"<tt:Second>{s}</tt:Second></tt:Time><tt:Date><tt:Year>{y}</tt:Year>"
        f"<tt:Month>{mo}</tt:Month><tt:Day>{d}</tt:Day></tt:Date></tt:UTCDateTime>"
        "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>")


def device_information(manufacturer: str, model: str, firmware: str, serial: str) -> str:
    return (
        "<tds:GetDeviceInformationResponse>"
        f"<tds:Manufacturer>{escape(manufacturer)}</tds:Manufacturer>"
        f"<tds:Model>{escape(model)}</tds:Model>"
        f"<tds:FirmwareVersion>{escape(firmware)}</tds:FirmwareVersion>"
        f"<tds:SerialNumber>{escape(serial)}</tds:SerialNumber>"
        "<tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>")


def capabilities(xaddrs: dict[str, str]) -> str:
    parts = [f"<tt:Device><tt:XAddr>{xaddrs['device']}</tt:XAddr></tt:Device>"]
    if "events" in xaddrs:
        parts.append(f"<tt:Events><tt:XAddr>{xaddrs['events']}</tt:XAddr>"
                     "<tt:WSSubscriptionPolicySupport>true</tt:WSSubscriptionPolicySupport>"
                     "<tt:WSPullPointSupport>true</tt:WSPullPointSupport>"
                     "<tt:WSPausableSubscriptionManagerInterfaceSupport>false"
                     "</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>")
    if "media" in xaddrs:
        parts.append(
            f"<tt:Media><tt:XAddr>{xaddrs['media']}</tt:XAddr><tt:StreamingCapabilities>"
            "<tt:RTPMulticast>true</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
            "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>")
    if "ptz" in xaddrs:
        parts.append(f"<tt:PTZ><tt:XAddr>{xaddrs['ptz']}</tt:XAddr></tt:PTZ>")
    parts.append("<tt:Extension><hikxsd:hikCapabilities><hikxsd:XAddr>"
                 f"{xaddrs['device']}</hikxsd:XAddr></hikxsd:hikCapabilities>"
                 f"{profile_g.capabilities_extension(xaddrs)}</tt:Extension>")
    return ("<tds:GetCapabilitiesResponse><tds:Capabilities>" + "".join(parts)
            + "</tds:Capabilities></tds:GetCapabilitiesResponse>")


SERVICE_NS = {
    "device": "http://www.onvif.org/ver10/device/wsdl",
    "media": "http://www.onvif.org/ver10/media/wsdl",
    "media2": "http://www.onvif.org/ver20/media/wsdl",
    "ptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "events": "http://www.onvif.org/ver10/events/wsdl",
    **profile_g.NAMESPACES,
}


def services(xaddrs: dict[str, str]) -> str:
    items = "".join(
        f"<tds:Service><tds:Namespace>{SERVICE_NS[name]}</tds:Namespace>"
        f"<tds:XAddr>{url}</tds:XAddr><tds:Version><tt:Major>17</tt:Major>"
        "<tt:Minor>12</tt:Minor></tds:Version></tds:Service>"
        for name, url in xaddrs.items())
    return f"<tds:GetServicesResponse>{items}</tds:GetServicesResponse>"


def profile_media1(p: dict[str, object], with_ptz: bool) -> str:
    ptz = ('<tt:PTZConfiguration token="PTZ_000"><tt:Name>PTZ_000</tt:Name>'
           "<tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNODETOKEN</tt:NodeToken>"
           "</tt:PTZConfiguration>") if with_ptz else ""
    return (
        f'<trt:Profiles fixed="true" token={quoteattr(str(p["token"]))}>'
        f"<tt:Name>{p['name']}</tt:Name>"
        '<tt:VideoSourceConfiguration token="V_SRC_000"><tt:Name>V_SRC_000</tt:Name>'
        "<tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSourceToken</tt:SourceToken>"
        '<tt:Bounds x="0" y="0" width="1920" height="1080"></tt:Bounds>'
        "</tt:VideoSourceConfiguration>"
        f'<tt:VideoEncoderConfiguration token="VE_{p["token"]}">'
        f"<tt:Name>VE_{p['token']}</tt:Name><tt:UseCount>1</tt:UseCount>"
        f"<tt:Encoding>{p['codec']}</tt:Encoding><tt:Resolution><tt:Width>{p['width']}"
        f"</tt:Width><tt:Height>{p['height']}</tt:Height></tt:Resolution>"
        "<tt:Quality>4</tt:Quality><tt:RateControl>"
        f"<tt:FrameRateLimit>{p['fps']}</tt:FrameRateLimit>"
        "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit>"
        "</tt:RateControl><tt:SessionTimeout>PT60S</tt:SessionTimeout>"
        f"</tt:VideoEncoderConfiguration>{ptz}</trt:Profiles>")


def profile_media2(p: dict[str, object], with_ptz: bool) -> str:
    ptz = '<tr2:PTZ token="PTZ_000"><tt:Name>PTZ_000</tt:Name></tr2:PTZ>' if with_ptz else ""
    return (
        f'<tr2:Profiles token={quoteattr(str(p["token"]))} fixed="true">'
        f"<tr2:Name>{p['name']}</tr2:Name><tr2:Configurations>"
        f'<tr2:VideoEncoder token="VE_{p["token"]}" GovLength="50" Profile="Main">'
        f"<tt:Name>VE_{p['token']}</tt:Name><tt:UseCount>1</tt:UseCount>"
        f"<tt:Encoding>{p['codec']}</tt:Encoding><tt:Resolution><tt:Width>{p['width']}"
        f"</tt:Width><tt:Height>{p['height']}</tt:Height></tt:Resolution>"
        f"<tt:RateControl ConstantBitRate=\"false\"><tt:FrameRateLimit>{p['fps']}"
        "</tt:FrameRateLimit><tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl>"
        f"<tt:Quality>5</tt:Quality></tr2:VideoEncoder>{ptz}</tr2:Configurations>"
        "</tr2:Profiles>")


def stream_uri_media1(uri: str | None, extra: str) -> str:
    inner = f"<tt:Uri>{escape(uri)}</tt:Uri>" if uri is not None else ""
    return (f"<trt:GetStreamUriResponse><trt:MediaUri>{inner}"
            "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
            "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout>"
            f"</trt:MediaUri>{extra}</trt:GetStreamUriResponse>")


def stream_uri_media2(uri: str | None, extra: str) -> str:
    inner = f"<tr2:Uri>{escape(uri)}</tr2:Uri>" if uri is not None else ""
    return f"<tr2:GetStreamUriResponse>{inner}{extra}</tr2:GetStreamUriResponse>"


def snapshot_uri(media2: bool, uri: str) -> str:
    if media2:
        return (f"<tr2:GetSnapshotUriResponse><tr2:Uri>{escape(uri)}</tr2:Uri>"
                "</tr2:GetSnapshotUriResponse>")
    return (f"<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>{escape(uri)}</tt:Uri>"
            "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
            "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout>"
            "</trt:MediaUri></trt:GetSnapshotUriResponse>")


def ptz_status(pan: float, tilt: float, zoom: float, moving: bool, utc: str) -> str:
    state = "MOVING" if moving else "IDLE"
    space = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
    return (
        "<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>"
        f'<tt:PanTilt x="{pan:.6f}" y="{tilt:.6f}" space="{space}" />'
        f'<tt:Zoom x="{zoom:.6f}" /></tt:Position><tt:MoveStatus>'
        f"<tt:PanTilt>{state}</tt:PanTilt><tt:Zoom>{state}</tt:Zoom></tt:MoveStatus>"
        f"<tt:UtcTime>{utc}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>")


def presets(items: dict[str, tuple[str, float, float, float]]) -> str:
    body = "".join(
        f"<tptz:Preset token={quoteattr(token)}><tt:Name>{escape(name)}</tt:Name>"
        f'<tt:PTZPosition><tt:PanTilt x="{p:.6f}" y="{t:.6f}" /><tt:Zoom x="{z:.6f}" />'
        "</tt:PTZPosition></tptz:Preset>"
        for token, (name, p, t, z) in items.items())
    return f"<tptz:GetPresetsResponse>{body}</tptz:GetPresetsResponse>"


def empty(operation: str, prefix: str) -> str:
    return f"<{prefix}:{operation}Response></{prefix}:{operation}Response>"


def set_preset(token: str) -> str:
    return (f"<tptz:SetPresetResponse><tptz:PresetToken>{escape(token)}</tptz:PresetToken>"
            "</tptz:SetPresetResponse>")


def probe_matches(relates_to: str, xaddr: str, scopes: list[str], uuid_urn: str) -> bytes:
    """A WS-Discovery ProbeMatches, after tests/data/onvif/agsh_onvif/Probe.xml."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:wsdd="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><SOAP-ENV:Header>'
        f"<wsa:MessageID>{uuid_urn}-reply</wsa:MessageID>"
        f"<wsa:RelatesTo>{escape(relates_to)}</wsa:RelatesTo>"
        "<wsa:To SOAP-ENV:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/"
        "addressing/role/anonymous</wsa:To><wsa:Action SOAP-ENV:mustUnderstand=\"true\">"
        "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>"
        "</SOAP-ENV:Header><SOAP-ENV:Body><wsdd:ProbeMatches><wsdd:ProbeMatch>"
        f"<wsa:EndpointReference><wsa:Address>{uuid_urn}</wsa:Address></wsa:EndpointReference>"
        "<wsdd:Types>dn:NetworkVideoTransmitter tds:Device</wsdd:Types>"
        f"<wsdd:Scopes>{escape(' '.join(scopes))}</wsdd:Scopes>"
        f"<wsdd:XAddrs>{escape(xaddr)}</wsdd:XAddrs>"
        "<wsdd:MetadataVersion>1</wsdd:MetadataVersion></wsdd:ProbeMatch></wsdd:ProbeMatches>"
        "</SOAP-ENV:Body></SOAP-ENV:Envelope>").encode()
