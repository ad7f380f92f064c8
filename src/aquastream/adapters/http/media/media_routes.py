"""``/media``: upload a file (multipart, or a presigned PUT then ``complete``), get a signed
link to it, delete it. Who may do what depends on the owner type (``domain.media.access``).

Uploads are refused by their declared ``Content-Length`` before the body is read (422
``media.too_large``), so an oversized body is never taken in; a body without a length is
400 ``media.length_required``. What the file is comes from its bytes alone.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, TypeVar

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, delete, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import UploadFile as UploadedPart
from litestar.enums import RequestEncodingType
from litestar.handlers import BaseRouteHandler
from litestar.params import Body, FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.auth import optional_principal, public
from aquastream.adapters.http.media.dto import MediaLinkOut, MediaOut, UploadStartIn, UploadStartOut
from aquastream.adapters.http.route_options import raising
from aquastream.domain.media.errors import FileTooLarge
from aquastream.domain.media.files import DeleteFile, GetFileLink
from aquastream.domain.media.model import MediaPolicy, OwnerType
from aquastream.domain.media.uploads import CompleteUpload, StartUpload, UploadFile
from aquastream.domain.shared.errors import FieldError, ValidationFailed
from aquastream.domain.shared.principal import Principal

# Room for the multipart framing and the form fields around the file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class LengthRequired(ValidationFailed):
    code = "media.length_required"
    default_message = "Send the upload with a Content-Length header."


def declared_length(connection: ASGIConnection[Any, Any, Any, Any]) -> int:
    raw = connection.headers.get("content-length")
    if raw is None or not raw.isdigit():
        raise LengthRequired()
    return int(raw)


@raising(LengthRequired, FileTooLarge)
async def refuse_oversized_body(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """A guard: the declared body must fit the upload limit (the server reads no more than it
    declares). It runs before the body is parsed."""
    policy = await connection.state.dishka_container.get(MediaPolicy)
    if declared_length(connection) > policy.max_bytes + MULTIPART_OVERHEAD_BYTES:
        raise FileTooLarge(policy.max_bytes)


T = TypeVar("T")

# The form as OpenAPI shows it; the handler parses it itself, to name every bad field.
FORM_SCHEMA: dict[str, Any] = {
    "properties": {
        "ownerType": {"type": "string", "enum": [t.value for t in OwnerType]},
        "ownerId": {"type": "string", "format": "uuid"},
        "file": {
            "type": "string",
            "format": "binary",
            "description": "The file; its format is read from its bytes.",
        },
    },
    "required": ["ownerType", "ownerId", "file"],
}


def _form_field(form: dict[str, Any], name: str, kind: type[T], errors: list[FieldError]) -> T | None:
    value = form.get(name)
    if value is None:
        errors.append(FieldError(name, f"Object missing required field `{name}`"))
        return None
    try:
        return msgspec.convert(value, kind, strict=False)
    except msgspec.ValidationError as error:
        errors.append(FieldError(name, str(error)))
        return None


def _parse_form(form: dict[str, Any]) -> tuple[OwnerType, uuid.UUID, UploadedPart]:
    """The form's fields, refused with one error per bad field."""
    errors: list[FieldError] = []
    owner_type = _form_field(form, "ownerType", OwnerType, errors)
    owner_id = _form_field(form, "ownerId", uuid.UUID, errors)
    part = form.get("file")
    if not isinstance(part, UploadedPart):
        errors.append(FieldError("file", "Attach the file as the form part `file`."))
    if errors or owner_type is None or owner_id is None or not isinstance(part, UploadedPart):
        raise ValidationFailed(errors=errors)
    return owner_type, owner_id, part


class MediaController(Controller):
    path = "/media"
    tags = ["media"]

    @post(
        "",
        status_code=HTTP_201_CREATED,
        summary="Upload a file (multipart: ownerType, ownerId, file)",
        guards=[refuse_oversized_body],
        request_max_body_size=None,
    )
    @inject
    async def upload(
        self,
        data: Annotated[
            dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART, schema_extra=FORM_SCHEMA)
        ],
        caller: FromDishka[Principal],
        upload_file: FromDishka[UploadFile],
    ) -> MediaOut:
        """The file must be within the size limit (422 ``media.too_large``), not empty (400
        ``media.empty``) and of a format its owner type accepts, recognised from its bytes
        (422 ``media.type_not_allowed``). A picture of an avatar, logo, team photo or event
        image must decode (422 ``media.image_unreadable``) and have at most the configured
        pixels (50 MP, 20 000 px a side: 422 ``media.image_too_large``, checked before
        decoding); its resized WebP variants are made by the worker moments later. The owner must exist (404
        ``media.owner_not_found``) and be the caller's to manage (403 ``media.forbidden``);
        a payment proof needs the caller's PENDING booking (422 ``media.booking_not_pending``)."""
        owner_type, owner_id, part = _parse_form(data)
        content = await part.read()
        return MediaOut.of(await upload_file(caller, owner_type, owner_id, content, file_name=part.filename))

    @post("/uploads", status_code=HTTP_201_CREATED, summary="Start a presigned upload")
    @inject
    async def start_upload(
        self,
        data: JSONBody[UploadStartIn],
        caller: FromDishka[Principal],
        start_upload: FromDishka[StartUpload],
    ) -> UploadStartOut:
        """The same owner rules as a direct upload. Send the bytes to ``uploadUrl`` before
        ``expiresAt``, then complete; an upload never completed is dropped after a day."""
        pending = await start_upload(caller, data.owner_type, data.owner_id, file_name=data.file_name)
        return UploadStartOut.of_pending(pending)

    @post("/{file_id:uuid}/complete", status_code=HTTP_200_OK, summary="Check a presigned upload")
    @inject
    async def complete(
        self,
        file_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        complete_upload: FromDishka[CompleteUpload],
    ) -> MediaOut:
        """The uploader only (others: 404). Nothing stored yet: 409 ``media.not_uploaded``.
        A stored object that fails the checks is removed (422/400 as for a direct upload);
        a corrected file may be PUT to the same URL while it lives. Completing a READY file
        again answers it unchanged."""
        return MediaOut.of(await complete_upload(caller, file_id))

    @public
    @get("/{file_id:uuid}", summary="A file and a signed link to its bytes")
    @inject
    async def show(
        self,
        request: Request[Any, Any, Any],
        file_id: FromPath[uuid.UUID],
        get_link: FromDishka[GetFileLink],
    ) -> MediaLinkOut:
        """Logos, team photos and event images for anyone; an avatar for its user and admins;
        a payment proof for the payer, the event's organizer and admins. Anyone else, and a
        PENDING upload, get 404 ``media.not_found``. The link expires (15 minutes by default);
        ``variants`` link the picture's resized copies the same way."""
        return MediaLinkOut.of_link(await get_link(optional_principal(request), file_id))

    @delete("/{file_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete a file")
    @inject
    async def remove(
        self,
        file_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        delete_file: FromDishka[DeleteFile],
    ) -> None:
        """Whoever manages the owner, and admins; a payment proof its payer and admins. The
        row (and its variants' rows) goes at once, the stored object and its variants right
        after (by the background worker)."""
        await delete_file(caller, file_id)
