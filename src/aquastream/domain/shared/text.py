"""What free text may hold: a single-line value (a title, a name, an address) refuses control
characters; a multi-line one (a description, an answer) allows line breaks and tabs only.

Control characters here are C0 (U+0000 to U+001F), DEL and C1 (U+007F to U+009F), and the
Unicode line and paragraph separators (U+2028, U+2029): none prints, and in a single-line
value a line break would break what is built from it (a calendar's ``SUMMARY``, a CSV row, a
mail subject). NUL is never accepted (PostgreSQL cannot store it).
"""

from __future__ import annotations

import re

_SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SINGLE_LINE_PROBLEM = "must be one line without control characters"
MULTI_LINE_PROBLEM = "must not contain control characters other than line breaks and tabs"


def control_problem(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with ``value``'s characters, or None."""
    if multiline:
        return MULTI_LINE_PROBLEM if _MULTI_LINE_FORBIDDEN.search(value) else None
    return SINGLE_LINE_PROBLEM if _SINGLE_LINE_FORBIDDEN.search(value) else None
