"""The notification domain: categories, preferences, templates and the outbox of messages."""
