"""Demo cameras: synthetic junction sources that need no network and no camera.

They use the ``demo://`` scheme, which the video engine renders, encodes to H.264 and
plays through the same reader path as RTSP (so snapshots, tags and clips work too).
"""

from __future__ import annotations

from urllib.parse import quote

from commandroom.auth.permissions import Actor
from commandroom.cameras.registry import Camera, CameraRegistry

DEMO_GROUP = "Demo junctions"

# (name shown in the console, junction, label burned into the picture)
_DEMO = (
    ("Xinhua Rd North", "Xinhua Rd x National Road 318", "CAM-01 XINHUA RD N"),
    ("Market Bridge", "Market St x River Bridge", "CAM-02 MARKET BRIDGE"),
    ("School Gate", "Wenchang Rd x Primary School", "CAM-03 SCHOOL GATE"),
    ("Bus Station", "Station Sq x County Rd 12", "CAM-04 BUS STATION"),
)


def demo_url(index: int, label: str, main: bool) -> str:
    size = "w=1280&h=720" if main else "w=640&h=360"
    return f"demo://junction-{index}?{size}&fps=25&label={quote(label)}"


def ensure_demo_cameras(registry: CameraRegistry, actor: Actor) -> int:
    """Create the demo cameras that do not exist yet; returns how many were added."""
    existing = {c.name for c in registry.cameras(actor)}
    group = next((g for g in registry.groups(actor) if g.name == DEMO_GROUP), None)
    if group is None:
        group = registry.add_group(actor, DEMO_GROUP)
    added = 0
    for index, (name, junction, label) in enumerate(_DEMO, start=1):
        if name in existing:
            continue
        registry.add(actor, Camera(
            id=None, name=name, junction=junction, group_id=group.id,
            main_url=demo_url(index, label, main=True),
            sub_url=demo_url(index, label, main=False),
            map_x=0.2 + 0.2 * (index - 1), map_y=0.3 + 0.1 * (index % 2),
        ))
        added += 1
    return added
