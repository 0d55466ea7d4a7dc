"""Canned responses: their variables, who may use which, and the changes that keep them."""
