"""The catalog domain: organizers with their team and FAQ, events and their lifecycle,
the public catalog, favorites and calendars."""
