"""Departments and teams: who works which tickets together, and who leads them."""
