"""The notification emails: their kinds and variables (``kinds``), what their templates are given
(``context``), how they are rendered (``rendering``) and how administrators change them (``editing``)."""
