"""Incidents at the console: the list, each one's timeline, and its steps."""
