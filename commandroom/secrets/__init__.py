"""Secrets: the encrypted store and where its key lives."""
