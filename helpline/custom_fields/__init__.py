"""Custom forms and fields: reusable choice lists, forms of typed fields, and how a value is checked and
stored. The routing layer attaches forms to help topics; the tickets layer keeps each ticket's values."""
