"""Operators, roles and permissions. Checks live in the core services, not the UI."""
