#!/bin/sh
# Pre-encode an H.264 test clip that the RTSP test server serves without re-encoding
# (live x264 encoding of many mounts would make the test server the bottleneck).
# Usage: scripts/make_test_clip.sh [output-dir] [seconds] [WIDTHxHEIGHT] [bitrate]
#   e.g. scripts/make_test_clip.sh .test-data 40 1920x1080 2M   (a main stream, big walls)
# Prints the clip's path. Does nothing when the clip is already there (cached).
set -eu

out_dir="${1:-$(dirname "$0")/../.test-data}"
seconds="${2:-180}"
size="${3:-640x360}"
bitrate="${4:-}"
mkdir -p "$out_dir"
# The 640x360 clip keeps its historical name (quality by x264's default CRF).
if [ -z "$bitrate" ]; then
    clip="$out_dir/clip-h264-${size}-${seconds}s.mp4"
    rate=""
else
    clip="$out_dir/clip-h264-${size}-${bitrate}-${seconds}s.mp4"
    # A capped bitrate keeps a 1080p clip cheap to decode (2 Mbit/s: ~2 ms a frame on one
    # core, against ~8 ms at CRF 23 on testsrc2's busy picture) and small on disk.
    rate="-b:v $bitrate -maxrate $bitrate -bufsize $bitrate"
fi

if [ ! -s "$clip" ]; then
    tmp="$clip.tmp.$$.mp4"
    trap 'rm -f "$tmp"' EXIT
    # testsrc2 moves (a real decode load, not a static picture); -g 50 = a keyframe every
    # 2 s like a camera; -bf 0 because IP cameras send no B-frames; -threads 1 keeps the
    # 2-core machine usable while this runs.
    # shellcheck disable=SC2086  # $rate is several options, or none
    ffmpeg -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=${size}:rate=25" -t "$seconds" \
        -c:v libx264 -preset ultrafast $rate -g 50 -keyint_min 50 -bf 0 -pix_fmt yuv420p \
        -threads 1 -an "$tmp"
    mv "$tmp" "$clip"
    trap - EXIT
fi
echo "$clip"
