"""Signing secrets for webhook endpoints: 32 random bytes, URL-safe, with a recognisable prefix."""

from __future__ import annotations

import secrets

PREFIX = "whsec_"


class RandomWebhookSecrets:
    def new(self) -> str:
        return PREFIX + secrets.token_urlsafe(32)
