"""The crews domain: boats, tents, tables and bus seats of an event, who sits where, and auto-assignment."""
