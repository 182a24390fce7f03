"""Sightings: the live list in the console, timelines, per-camera lists, evidence viewer."""
