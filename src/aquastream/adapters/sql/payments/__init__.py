"""SQL adapters of the payments domain."""

from aquastream.adapters.sql.payments.lookups import (
    SqlBookingPayments,
)
from aquastream.adapters.sql.payments.uow import SqlPaymentsUnitOfWork

__all__ = [
    "SqlBookingPayments",
    "SqlPaymentsUnitOfWork",
]
