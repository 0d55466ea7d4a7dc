"""The administration pages of routing: help topics, ticket statuses, filter rules and their test page."""
