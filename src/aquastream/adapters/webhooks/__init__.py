"""Adapters of the webhooks domain: the HTTPS transport to organizers' servers, and secrets."""
