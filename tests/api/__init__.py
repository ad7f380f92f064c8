"""API tests: HTTP end to end through the real application."""
