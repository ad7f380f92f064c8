"""Errors of the media domain, each with a stable machine code."""

from __future__ import annotations

from aquastream.domain.shared.errors import Conflict, Forbidden, NotFound, RuleViolated, ValidationFailed


class MediaNotFound(NotFound):
    code = "media.not_found"
    default_message = "File not found."


class OwnerNotFound(NotFound):
    code = "media.owner_not_found"
    default_message = "The owner of the file (user, organizer, team member, event or booking) was not found."


class MediaForbidden(Forbidden):
    code = "media.forbidden"
    default_message = "You may not manage files of this owner."


class EmptyFile(ValidationFailed):
    code = "media.empty"
    default_message = "The file is empty."


class FileTooLarge(RuleViolated):
    code = "media.too_large"
    default_message = "The file is larger than the upload limit."

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            f"The file is larger than the upload limit of {max_bytes} bytes.", extra={"maxBytes": max_bytes}
        )


class UnsupportedFileType(RuleViolated):
    code = "media.type_not_allowed"
    default_message = "This kind of file is not accepted here."

    def __init__(self, found: str | None, allowed: frozenset[str]) -> None:
        seen = found or "an unrecognised format"
        super().__init__(
            f"The file's bytes are {seen}; accepted: {', '.join(sorted(allowed))}.",
            extra={"detectedType": found, "allowedTypes": sorted(allowed)},
        )


class BookingNotPending(RuleViolated):
    code = "media.booking_not_pending"
    default_message = "A payment proof can only be added to a booking that waits for payment."


class ObjectNotUploaded(Conflict):
    code = "media.not_uploaded"
    default_message = "Nothing was uploaded to the upload URL yet; PUT the file, then complete."


class UnreadableImage(RuleViolated):
    code = "media.image_unreadable"
    default_message = "The picture cannot be read: its bytes are damaged or not the image they claim to be."


class ImageTooLarge(RuleViolated):
    code = "media.image_too_large"
    default_message = "The picture has too many pixels."

    def __init__(self, *, width: int | None, height: int | None, max_pixels: int, max_side: int) -> None:
        seen = f"{width} by {height} pixels" if width and height else "larger than can be read safely"
        super().__init__(
            f"The picture is {seen}; accepted: at most {max_pixels} pixels and {max_side} on a side.",
            extra={"width": width, "height": height, "maxPixels": max_pixels, "maxSide": max_side},
        )


class DecompressionBomb(Exception):
    """Raised by an ``ImageProcessor`` for a header whose pixels exceed what it will read at
    all; the domain answers ``ImageTooLarge`` (with its own limits)."""
