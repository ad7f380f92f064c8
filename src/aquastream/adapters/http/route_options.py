"""The ``opt`` keys through which a route handler tells the edge how to treat it.

- ``public``: anonymous callers may call it (every other route needs a valid access token).
- ``rate_limit``: the rate-limit category (a key of ``rate_limit.category_limits``);
  ``None`` means not limited; absent means "by path" (see ``rate_limit.PATH_CATEGORIES``).
- ``free_query``: the route takes query parameters it does not declare (callers that write
  their own URLs, see ``query_check``); every other route refuses undeclared ones.
"""

from __future__ import annotations

from typing import Any

PUBLIC = "public"
RATE_LIMIT = "rate_limit"
FREE_QUERY = "free_query"

# Health probes and the metrics scrape: anyone may call them, and they are never limited.
OPERATOR_ROUTE: dict[str, Any] = {PUBLIC: True, RATE_LIMIT: None}
