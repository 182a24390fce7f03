"""Helpers shared by several ui features."""
