"""Continuous recording: segments on disk, their index, gaps, retention, evidence export.

Qt-free. The reader feeds a ``recorder.Recorder`` (a ``video.sinks.PacketSink``) the same
packets as the evidence ring; see ``writer`` for why segments are fragmented MP4.
"""
