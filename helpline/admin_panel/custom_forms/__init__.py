"""Custom forms, their fields and the choice lists they offer: the administration pages."""
