"""Money: exact decimal amounts in ISO 4217 currencies, each with its own fraction digits.

Which currencies the service takes, and their digits, come from a ``CurrencyCatalogue``
(RUB and USD have 2 fraction digits, JPY none, KWD 3). Malformed amounts (not a number,
negative, beyond what storage holds) are ``ValidationFailed`` (400); an unknown currency
and an amount finer than its currency's minor unit break the money rules (422).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from aquastream.domain.shared.errors import FieldError, RuleViolated, ValidationFailed
from aquastream.ports.currencies import CurrencyCatalogue

DEFAULT_CURRENCY = "RUB"
MAX_AMOUNT = Decimal("9999999999.999")  # what NUMERIC(13, 3) holds


class UnknownCurrency(RuleViolated):
    code = "currency.unknown"
    default_message = "The currency is not an ISO 4217 currency the service takes."


class TooManyFractionDigits(RuleViolated):
    code = "money.too_many_fraction_digits"
    default_message = "The amount has more fraction digits than its currency allows."


def quantize(amount: Decimal, digits: int) -> Decimal:
    """``amount`` with exactly ``digits`` fraction digits (half up, for values that come
    back from a float)."""
    exponent = _EXPONENTS.get(digits) or Decimal(1).scaleb(-digits)
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


_EXPONENTS = {digits: Decimal(1).scaleb(-digits) for digits in range(5)}  # ISO 4217's: 0 to 4


def amount_text(amount: Decimal, digits: int) -> str:
    """``1500.00``, ``1000``, ``1.234``: a decimal string with exactly ``digits`` fraction
    digits, never an exponent."""
    return f"{quantize(amount, digits):f}"


def to_minor_units(amount: Decimal, digits: int) -> int:
    """Kopecks, cents, yen, fils: ``amount`` times 10^digits (RUB 1500.00 → 150000, JPY 1000 →
    1000, KWD 1.234 → 1234)."""
    return int(quantize(amount, digits).scaleb(digits))


def from_minor_units(units: int, digits: int) -> Decimal:
    """The inverse of ``to_minor_units``: 150000 kopecks → 1500.00."""
    return quantize(Decimal(units).scaleb(-digits), digits)


def checked_amount(amount: Decimal | int | str, *, field: str) -> Decimal:
    """A decimal number, finite, not negative and not beyond ``MAX_AMOUNT``; anything else is
    malformed input (``ValidationFailed`` naming ``field``)."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValidationFailed(errors=[FieldError(field, "must be a decimal number")]) from None
    if not value.is_finite() or value < 0:
        raise ValidationFailed(errors=[FieldError(field, "must be a non-negative number")])
    if value > MAX_AMOUNT:
        raise ValidationFailed(errors=[FieldError(field, f"must not exceed {MAX_AMOUNT}")])
    return value


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    digits: int

    @classmethod
    def known(cls, catalogue: CurrencyCatalogue, code: str, *, field: str = "currency") -> Currency:
        """The currency ``code`` names (any case, surrounding blanks ignored), if the
        catalogue takes it; else ``UnknownCurrency`` naming ``field``."""
        normalised = code.strip().upper()
        digits = catalogue.minor_digits(normalised)
        if digits is None:
            raise UnknownCurrency(
                f"{field}: {code!r} is not an ISO 4217 currency the service takes.",
                errors=[FieldError(field, "must be an ISO 4217 currency code in use, such as RUB")],
            )
        return cls(normalised, digits)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal  # always with exactly the currency's fraction digits
    currency: Currency

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: Currency, *, field: str = "price") -> Money:
        """Parse and check: a well-formed amount (else ``ValidationFailed``) with no more
        fraction digits than ``currency`` has (else ``TooManyFractionDigits``); trailing
        zeros do not count (JPY ``1000.0`` is ``1000``)."""
        value = checked_amount(amount, field=field)
        exact = quantize(value, currency.digits)
        if exact != value:
            allowed = f"at most {currency.digits}" if currency.digits else "no"
            raise TooManyFractionDigits(
                f"{field}: {currency.code} amounts have {allowed} fraction digits.",
                errors=[FieldError(field, f"must have {allowed} fraction digits in {currency.code}")],
            )
        return cls(exact, currency)

    @property
    def is_free(self) -> bool:
        return self.amount == 0

    @property
    def minor_units(self) -> int:
        return to_minor_units(self.amount, self.currency.digits)

    def __str__(self) -> str:
        return f"{amount_text(self.amount, self.currency.digits)} {self.currency.code}"
