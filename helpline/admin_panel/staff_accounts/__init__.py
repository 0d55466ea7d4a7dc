"""Agents: their accounts, invitations, departments and roles, teams, and deactivation."""
