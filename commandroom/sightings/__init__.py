"""Sightings: tagging a frame, snapshot and clip evidence with SHA-256, timelines."""
