"""The payments domain: card payments through a provider, QR transfers checked by the organizer."""
