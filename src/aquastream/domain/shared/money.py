"""Money: an exact decimal amount with 2 fraction digits and an ISO 4217 currency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from aquastream.domain.shared.errors import FieldError, ValidationFailed

DEFAULT_CURRENCY = "RUB"
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # what NUMERIC(12, 2) holds


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def of(
        cls, amount: Decimal | int | str, currency: str = DEFAULT_CURRENCY, *, field: str = "price"
    ) -> Money:
        """Parse and check: not negative, at most 2 fraction digits, a 3-letter currency."""
        errors = []
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise ValidationFailed(errors=[FieldError(field, "must be a decimal number")]) from None
        if not value.is_finite() or value < 0:
            errors.append(FieldError(field, "must be a non-negative number"))
        elif value > MAX_AMOUNT:
            errors.append(FieldError(field, f"must not exceed {MAX_AMOUNT}"))
        elif value != value.quantize(_CENT):
            errors.append(FieldError(field, "must have at most 2 fraction digits"))
        if not _CURRENCY.match(currency):
            errors.append(FieldError("currency", "must be an ISO 4217 code such as RUB"))
        if errors:
            raise ValidationFailed(errors=errors)
        return cls(value.quantize(_CENT, rounding=ROUND_HALF_UP), currency)

    @property
    def is_free(self) -> bool:
        return self.amount == 0

    @property
    def minor_units(self) -> int:
        """The amount in kopecks/cents, as payment providers and the QR format want it."""
        return int(self.amount * 100)

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"
