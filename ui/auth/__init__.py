"""Operator sessions in the console: login, idle lock, hand-over, audit and operators views.

Every check is made by the core (``commandroom.auth``, ``commandroom.audit.trail``); this package
only asks, shows the core's answer and hides what the current operator may not use.
"""
