"""Helpers shared by several ui features: words for entries, roles and sightings, entry
labels, thumbnails, sighting events, notices, tool windows, the current actor."""
