"""Automatic assignment's configuration: each department's and team's strategy, and each agent's
availability and open-ticket limit."""
