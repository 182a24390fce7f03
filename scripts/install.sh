#!/usr/bin/env bash
# Install commandroom on a fresh Debian/Ubuntu machine: the system libraries Qt and the
# tests need (only what is missing), a virtual environment in .venv, and the package.
#   bash scripts/install.sh          the app (runtime libraries, CJK font)
#   bash scripts/install.sh --test   the app + everything the test suite uses (GStreamer RTSP
#                                    server, ffmpeg, Xvfb, mosquitto, test/dev Python packages)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-app}"
runtime_pkgs=(
    python3 python3-venv
    # Qt 6 (PySide6 wheels) needs these from the system on a bare Debian:
    libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3 libglib2.0-0
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0
    # OpenGL for the GPU video path (issue 18): Mesa's drivers (Intel/AMD GPUs, and
    # llvmpipe under Xvfb in the tests); without them the app paints video on the CPU.
    libgl1-mesa-dri libglx-mesa0
    # Atomic loads/stores for frames in shared memory (video readers in worker processes,
    # commandroom/video/shm_atomic.py): needed on ARM, used on x86 too.
    libatomic1
    # Chinese on screen: without a CJK font zh_CN shows empty boxes.
    fonts-wqy-microhei
)
test_pkgs=(
    # Real RTSP server for the video tests (GStreamer's RTSP server library, system python3).
    python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-tools
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
    gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x
    ffmpeg            # test clips, ffprobe of evidence clips, benchmark floor
    xvfb x11-utils imagemagick   # real screenshots
    openbox           # a real window manager: where windows land (tests/ui/test_wall.py)
    postgresql        # the same migrations and queries on PostgreSQL (the shared-DB future)
    mosquitto         # real MQTT broker for the alert tests
    poppler-utils     # pdftotext/pdftoppm/pdffonts read back the evidence package's PDF
)
pkgs=("${runtime_pkgs[@]}")
extras="."
if [ "$mode" = "--test" ]; then
    pkgs+=("${test_pkgs[@]}")
    extras=".[dev]"
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
quiet() { "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }; }  # pipefail keeps pip's status
quiet .venv/bin/python -m pip install -q --upgrade pip
quiet .venv/bin/python -m pip install -q -e "$extras"
.venv/bin/python -c "import commandroom, PySide6, av" # fails loudly if the install did not work
