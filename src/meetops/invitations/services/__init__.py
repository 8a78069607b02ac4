"""Writes for participants, invitations, answers, templates, public registration and groups.

Split by sub-domain; import from the module you need.
"""
