"""Facts of the webhooks domain: it publishes none. It only reacts to booking's and payments'
facts (``domain.webhooks.facts``) and talks to the organizers' own servers."""
