"""Main/sub choice, error translation and fault reading (pure functions)."""

from __future__ import annotations

import aiohttp
import zeep.exceptions

from commandroom.onvif.errors import (
    OnvifAuthError,
    OnvifError,
    OnvifFaultError,
    OnvifTimeoutError,
    OnvifUnreachableError,
    translate,
)
from commandroom.onvif.models import MediaProfile, ProfileStreams, StreamUri
from commandroom.onvif.selection import choose_main_and_sub
from commandroom.onvif.xmlparse import fault_error, parse_document


def _row(token: str, w: int | None, h: int | None, codec: str = "H264",
         uri: bool = True) -> ProfileStreams:
    profile = MediaProfile(token=token, name=token, media_version=1, encoding=codec,
                           width=w, height=h, fps=25)
    stream = StreamUri(f"rtsp://h/{token}", f"rtsp://h/{token}") if uri else None
    return ProfileStreams(profile, stream, None)


def test_main_is_largest_and_sub_is_smallest() -> None:
    rows = (_row("a", 1280, 720), _row("b", 2560, 1440, "H265"), _row("c", 640, 360),
            _row("d", 3840, 2160, uri=False), _row("e", None, None))
    main, sub = choose_main_and_sub(rows)
    assert main is not None and sub is not None
    assert (main.profile.token, sub.profile.token) == ("b", "c")


def test_single_profile_is_both_and_nothing_usable_is_none() -> None:
    only = (_row("a", None, None),)
    assert choose_main_and_sub(only) == (only[0], only[0])
    assert choose_main_and_sub((_row("x", 10, 10, uri=False),)) == (None, None)


def test_translate_gives_one_sentence_and_never_the_password() -> None:
    kw = {"where": "10.0.0.5:80", "timeout_s": 4.0, "password": "hunter2"}
    assert str(translate(TimeoutError(), **kw)) == "The camera did not answer within 4 s."
    assert isinstance(translate(TimeoutError(), **kw), OnvifTimeoutError)
    assert isinstance(translate(aiohttp.ClientOSError(), **kw), OnvifUnreachableError)
    fault = zeep.exceptions.Fault("Sender not Authorized", code="s:Sender")
    assert str(translate(fault, **kw)) == "The camera rejected the user name or password."
    other = translate(zeep.exceptions.Fault("bad token hunter2 given\nline two"), **kw)
    assert isinstance(other, OnvifFaultError)
    assert str(other) == "The camera refused the request: bad token *** given line two."
    weird = translate(KeyError("hunter2"), **kw)
    assert type(weird) is OnvifError and "hunter2" not in str(weird)
    assert isinstance(translate(zeep.exceptions.TransportError(status_code=401), **kw),
                      OnvifAuthError)


def test_soap11_and_soap12_faults_are_read() -> None:
    soap12 = parse_document(
        b'<e:Fault xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Code><e:Value>e:Sender'
        b"</e:Value><e:Subcode><e:Value>ter:NotAuthorized</e:Value></e:Subcode></e:Code>"
        b"<e:Reason><e:Text>Sender not Authorized</e:Text></e:Reason></e:Fault>")
    assert isinstance(fault_error(soap12), OnvifAuthError)
    soap11 = parse_document(
        b'<e:Fault xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>e:Server'
        b"</faultcode><faultstring>Internal error.</faultstring></e:Fault>")
    assert str(fault_error(soap11)) == "The camera refused the request: Internal error."
