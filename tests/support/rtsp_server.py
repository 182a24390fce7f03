#!/usr/bin/python3
"""RTSP test server on 127.0.0.1, built on GStreamer's RTSP server library.

Run with Debian's own ``/usr/bin/python3`` (python3-gi is not in the venv)::

    /usr/bin/python3 tests/support/rtsp_server.py --port 0 --live 2 --clip CLIP.mp4 \
        --clip-mounts 16 --password s3cret --events /tmp/events.log

Prints ``READY <port>`` as its first stdout line once it listens, then nothing more on
stdout (diagnostics go to stderr). Exits with status 0 on SIGTERM/SIGINT, and also when
its stdin reaches end-of-file, so a test run that dies never leaves an orphan server.

Mounts (all shared media factories, RTSP over TCP and UDP):
  /live1 .. /liveN   live 640x360@25 H.264, videotestsrc + timeoverlay, x264 zerolatency
  /h265              live 640x360@25 H.265 (x265enc), or --h265-clip served from file
  /secure            like /live1 but basic auth: user "officer", password from --password
  /clip1 .. /clipM   the pre-encoded --clip MP4, NO re-encode (cheap: for many streams).
                     Not looped: the shared media starts at the clip's beginning when
                     a first client comes and ends (EOS) when the clip does, so make
                     the clip longer than the longest session (180 s by default).
  /main1 .. /mainK   the pre-encoded --main-clip MP4 (a 1920x1080 main stream for big
                     walls), served as /clipN is (--main-clip-mounts K)
  /barcode           live H.264 whose frames carry time.time() in ms as a barcode
                     (see BARCODE_* below and tests/support/barcode.py for the reader);
                     /barcode2 .. /barcodeB more of them (--barcode-mounts B): cameras
                     on one clock, for synchronised playback
  /Streaming/tracks/101, /cam/playback, /onvif/replay
                     NVR playback (Hikvision, Dahua, ONVIF Profile G replay): frames carry
                     their RECORDED time as the barcode, starting at the requested time
                     (see rtsp_playback_mounts.py; --recorded, --nvr-utc-offset-min, and
                     --playback-digest to make them ask for Digest authentication)

--events FILE gets one line per RTSP event, for tests that count connection attempts:
  ``CONNECT`` for every accepted TCP connection and ``DESCRIBE <path>`` for every DESCRIBE
  (counted before the auth check, so refused attempts count too), and
  ``SETUP <path> TCP|UDP`` for every SETUP (which lower transport the client asked for).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
import rtsp_playback_mounts as playback  # noqa: E402  (this script's own folder)
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

WIDTH, HEIGHT, FPS = 640, 360, 25
SECURE_USER = "officer"

# Barcode layout (keep in sync with tests/support/barcode.py): 48 bits, most significant
# first, as 16 columns x 3 rows of blocks of 40x40 px in the top 120 rows; white = 1.
BARCODE_BITS = 48
BARCODE_COLUMNS = 16
BARCODE_BLOCK = 40

_LIVE_SOURCE = (
    f"videotestsrc is-live=true pattern={{pattern}} ! "
    f"video/x-raw,width={WIDTH},height={HEIGHT},framerate={FPS}/1 ! "
    "timeoverlay font-desc=\"Sans 24\" ! "
)
_X264 = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=50 ! "
_PAY_H264 = "rtph264pay name=pay0 pt=96 config-interval=1"


def _launch_live_h264(pattern: str = "ball") -> str:
    return "( " + _LIVE_SOURCE.format(pattern=pattern) + _X264 + _PAY_H264 + " )"


def _launch_h265(h265_clip: str | None) -> str:
    if h265_clip:
        return (
            f"( filesrc location=\"{h265_clip}\" ! qtdemux ! h265parse ! "
            "rtph265pay name=pay0 pt=96 config-interval=1 )"
        )
    return (
        "( " + _LIVE_SOURCE.format(pattern="smpte")
        + "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=50 ! "
        "video/x-h265,profile=main ! rtph265pay name=pay0 pt=96 config-interval=1 )"
    )


def _launch_clip(clip: str) -> str:
    return (
        f"( filesrc location=\"{clip}\" ! qtdemux ! h264parse ! {_PAY_H264} )"
    )


def _barcode_frame(ms: int, tick: int) -> bytes:
    """One I420 frame: ``ms`` as big black/white blocks on top, a moving bar below.

    Built with plain bytes (Debian's python3 has no numpy); ~0.2 ms per frame.
    """
    white, black, grey = b"\xeb", b"\x10", b"\x80"
    rows = []
    for block_row in range(BARCODE_BITS // BARCODE_COLUMNS):
        line = bytearray()
        for col in range(BARCODE_COLUMNS):
            bit_index = block_row * BARCODE_COLUMNS + col
            bit = (ms >> (BARCODE_BITS - 1 - bit_index)) & 1
            line += (white if bit else black) * BARCODE_BLOCK
        line += grey * (WIDTH - len(line))
        rows.append(bytes(line) * BARCODE_BLOCK)
    rest_rows = HEIGHT - BARCODE_BLOCK * len(rows)
    bar_x = (tick * 8) % (WIDTH - 32)
    rest_line = grey * bar_x + white * 32 + grey * (WIDTH - bar_x - 32)
    y_plane = b"".join(rows) + rest_line * rest_rows
    chroma = b"\x80" * ((WIDTH // 2) * (HEIGHT // 2))
    return y_plane + chroma + chroma


class BarcodeFactory(GstRtspServer.RTSPMediaFactory):  # type: ignore[misc]
    """Frames made in Python at 25 fps, stamped with the wall clock at creation."""

    def __init__(self) -> None:
        super().__init__()
        self.set_launch(
            "( appsrc name=src is-live=true do-timestamp=true format=time "
            f"caps=video/x-raw,format=I420,width={WIDTH},height={HEIGHT},framerate={FPS}/1 ! "
            "queue max-size-buffers=2 leaky=downstream ! " + _X264 + _PAY_H264 + " )"
        )
        self.set_shared(True)
        self.connect("media-configure", self._on_media_configure)

    def _on_media_configure(self, _factory: object, media: GstRtspServer.RTSPMedia) -> None:
        appsrc = media.get_element().get_child_by_name("src")
        state = {"tick": 0}

        def push() -> bool:
            ms = int(time.time() * 1000)
            data = _barcode_frame(ms, state["tick"])
            state["tick"] += 1
            buf = Gst.Buffer.new_wrapped(data)
            ret = appsrc.emit("push-buffer", buf)
            return bool(ret in (Gst.FlowReturn.OK, Gst.FlowReturn.FLUSHING))

        source_id = GLib.timeout_add(1000 // FPS, push)
        media.connect("unprepared", lambda *_: GLib.source_remove(source_id))


class EventLog:
    def __init__(self, path: str | None) -> None:
        self._file = open(path, "a", buffering=1, encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, line: str) -> None:
        if self._file is not None:
            self._file.write(line + "\n")


def _factory(launch: str) -> GstRtspServer.RTSPMediaFactory:
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    return factory


def _permissions(*roles: str) -> GstRtspServer.RTSPPermissions:
    permissions = GstRtspServer.RTSPPermissions()
    for role in roles:
        permissions.add_permission_for_role(role, "media.factory.access", True)
        permissions.add_permission_for_role(role, "media.factory.construct", True)
    return permissions


def _secure_permissions() -> GstRtspServer.RTSPPermissions:
    # Anonymous may SEE /secure but not construct it: GstRTSPAuth answers that with 401
    # (+ WWW-Authenticate), while a role without access would get 404.
    permissions = _permissions("officer")
    permissions.add_permission_for_role("anonymous", "media.factory.access", True)
    permissions.add_permission_for_role("anonymous", "media.factory.construct", False)
    return permissions


def build_server(args: argparse.Namespace, events: EventLog) -> GstRtspServer.RTSPServer:
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()

    # Anonymous clients get the "anonymous" role (every mount but /secure); a correct
    # basic-auth login gets "officer" (/secure too). A wrong password falls back to
    # anonymous and is refused on /secure with 401, as a real camera does.
    auth = GstRtspServer.RTSPAuth()
    auth.set_default_token(_token("anonymous"))
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(SECURE_USER, args.password), _token("officer"))
    if args.playback_digest:  # NVRs answer 401 with a Digest challenge
        auth.add_digest(SECURE_USER, args.password, _token("officer"))
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    server.set_auth(auth)
    open_roles = _permissions("anonymous", "officer")

    def add(path: str, factory: GstRtspServer.RTSPMediaFactory, secure: bool = False) -> None:
        factory.set_permissions(_secure_permissions() if secure else open_roles)
        mounts.add_factory(path, factory)

    for i in range(1, args.live + 1):
        add(f"/live{i}", _factory(_launch_live_h264()))
    add("/h265", _factory(_launch_h265(args.h265_clip)))
    add("/secure", _factory(_launch_live_h264("smpte")), secure=True)
    if args.clip:
        for i in range(1, args.clip_mounts + 1):
            add(f"/clip{i}", _factory(_launch_clip(args.clip)))
    if args.main_clip:
        for i in range(1, args.main_clip_mounts + 1):
            add(f"/main{i}", _factory(_launch_clip(args.main_clip)))
    add("/barcode", BarcodeFactory())
    for i in range(2, args.barcode_mounts + 1):
        add(f"/barcode{i}", BarcodeFactory())
    playback_options = playback.PlaybackOptions(
        recorded=[_window(w) for w in args.recorded], utc_offset_min=args.nvr_utc_offset_min)
    playback.add_mounts(lambda path, f: add(path, f, secure=args.playback_digest),
                        playback_options, _barcode_frame, events.write)

    def on_client(_server: object, client: GstRtspServer.RTSPClient) -> None:
        events.write("CONNECT")
        client.connect("pre-describe-request", on_describe)
        client.connect("pre-setup-request", on_setup)
        playback.watch_client(client, playback_options, events.write)

    def on_describe(_client: object, ctx: GstRtspServer.RTSPContext) -> object:
        events.write(f"DESCRIBE {ctx.uri.abspath}")
        return GstRtsp.RTSPStatusCode.OK

    def on_setup(_client: object, ctx: GstRtspServer.RTSPContext) -> object:
        _res, transport = ctx.request.get_header(GstRtsp.RTSPHeaderField.TRANSPORT, 0)
        lower = "TCP" if "/TCP" in (transport or "").upper() else "UDP"
        events.write(f"SETUP {ctx.uri.abspath} {lower}")
        return GstRtsp.RTSPStatusCode.OK

    server.connect("client-connected", on_client)
    return server


def _window(text: str) -> tuple[float, float]:
    start, _, end = text.partition(":")
    return float(start), float(end)


def _token(role: str) -> GstRtspServer.RTSPToken:
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", role)
    return token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--live", type=int, default=2, help="number of /liveN mounts")
    parser.add_argument("--barcode-mounts", type=int, default=1,
                        help="number of /barcode mounts (/barcode, /barcode2, ...)")
    parser.add_argument("--clip", help="pre-encoded H.264 MP4 served by /clipN")
    parser.add_argument("--clip-mounts", type=int, default=16)
    parser.add_argument("--main-clip", help="pre-encoded 1080p H.264 MP4 served by /mainN")
    parser.add_argument("--main-clip-mounts", type=int, default=4)
    parser.add_argument("--h265-clip", help="serve /h265 from this file instead of x265enc")
    parser.add_argument("--password", default="s3cret", help="password of user officer")
    parser.add_argument("--events", help="append RTSP events to this file")
    parser.add_argument("--recorded", action="append", default=[], metavar="FROM:TO",
                        help="NVR recorded window, UTC epoch seconds (repeat); none: all")
    parser.add_argument("--nvr-utc-offset-min", type=int, default=480,
                        help="Dahua device local time minus UTC, minutes")
    parser.add_argument("--playback-digest", action="store_true",
                        help="playback mounts want user officer by Digest authentication")
    args = parser.parse_args()

    Gst.init(None)
    events = EventLog(args.events)
    server = build_server(args, events)
    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 2

    def quit_loop(*_: object) -> bool:
        loop.quit()
        return False

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, quit_loop)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, quit_loop)
    # The parent holds our stdin open; when it goes away (even killed), we go too.
    GLib.io_add_watch(
        GLib.IOChannel.unix_new(sys.stdin.fileno()),
        GLib.PRIORITY_DEFAULT,
        GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR,
        lambda _channel, _cond: quit_loop() if not os.read(sys.stdin.fileno(), 4096) else True,
    )

    print(f"READY {server.get_bound_port()}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
