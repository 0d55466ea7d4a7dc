"""The desk-wide settings: name, time zone and date format, ticket numbers, attachments, the portal."""
