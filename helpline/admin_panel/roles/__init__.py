"""Roles: named sets of permissions an agent holds in a department."""
