"""SQL adapters of the media domain."""

from aquastream.adapters.sql.media.files import SqlFileRepository
from aquastream.adapters.sql.media.owners import SqlOwnerDirectory
from aquastream.adapters.sql.media.uow import SqlMediaUnitOfWork

__all__ = ["SqlFileRepository", "SqlMediaUnitOfWork", "SqlOwnerDirectory"]
