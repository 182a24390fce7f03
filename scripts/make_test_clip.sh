#!/bin/sh
# Pre-encode the H.264 test clip that the RTSP test server serves without re-encoding
# (live x264 encoding of many mounts would make the test server the bottleneck).
# Usage: scripts/make_test_clip.sh [output-dir] [seconds]
# Prints the clip's path. Does nothing when the clip is already there (cached).
set -eu

out_dir="${1:-$(dirname "$0")/../.test-data}"
seconds="${2:-180}"
mkdir -p "$out_dir"
clip="$out_dir/clip-h264-640x360-${seconds}s.mp4"

if [ ! -s "$clip" ]; then
    tmp="$clip.tmp.$$.mp4"
    trap 'rm -f "$tmp"' EXIT
    # testsrc2 moves (a real decode load, not a static picture); -g 50 = a keyframe every
    # 2 s like a camera; -bf 0 because IP cameras send no B-frames; -threads 1 keeps the
    # 2-core machine usable while this runs.
    ffmpeg -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=640x360:rate=25" -t "$seconds" \
        -c:v libx264 -preset ultrafast -g 50 -keyint_min 50 -bf 0 -pix_fmt yuv420p \
        -threads 1 -an "$tmp"
    mv "$tmp" "$clip"
    trap - EXIT
fi
echo "$clip"
