"""``/media/objects/{key}``: the local storage's signed links, served by the app itself.

``GET`` answers the object's bytes with the content type the link was signed for (the one
found when the upload was checked) and ``nosniff``; ``PUT`` stores the request body, the
target of a presigned upload. Both need a valid, unexpired signature (else 403
``media.link_invalid``), and answer 404 when the S3 storage is configured instead. A PUT
never replaces an object: once bytes are stored under a key (and perhaps checked), the
link cannot swap them.
"""

from __future__ import annotations

from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, put
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import File
from litestar.status_codes import HTTP_204_NO_CONTENT

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.media.media_routes import declared_length
from aquastream.adapters.http.route_options import RATE_LIMIT
from aquastream.adapters.storage.local import LinkSigner, LocalObjectStorage
from aquastream.domain.media.errors import FileTooLarge, MediaNotFound
from aquastream.domain.media.model import MediaPolicy
from aquastream.domain.shared.errors import Conflict, Forbidden
from aquastream.ports.clock import Clock
from aquastream.ports.media import ObjectStorage

LINK_CACHE_SECONDS = 300


class LinkInvalid(Forbidden):
    code = "media.link_invalid"
    default_message = "The link is not valid or has expired; ask for a new one."


class ObjectExists(Conflict):
    code = "media.already_uploaded"
    default_message = "A file was already uploaded with this link; start a new upload to send another."


def _local(storage: ObjectStorage) -> LocalObjectStorage:
    if not isinstance(storage, LocalObjectStorage):
        raise MediaNotFound()
    return storage


class LocalObjectController(Controller):
    path = "/media/objects"
    tags = ["media"]

    @public
    @get(
        "/{key:path}",
        summary="The bytes behind a signed local link",
        include_in_schema=False,
        # A page shows many pictures at once; the signature already limits what can be read.
        opt={RATE_LIMIT: None},
    )
    @inject
    async def download(
        self,
        key: FromPath[str],
        storage: FromDishka[ObjectStorage],
        signer: FromDishka[LinkSigner],
        clock: FromDishka[Clock],
        expires: FromQuery[int],
        signature: FromQuery[str],
        content_type: Annotated[str, QueryParameter(name="type")] = "",
    ) -> File:
        key = key.lstrip("/")
        local = _local(storage)
        if not signer.verify("GET", key, expires, signature, now=clock.now(), content_type=content_type):
            raise LinkInvalid()
        path = local.path_of(key)
        if not path.is_file():
            raise MediaNotFound()
        return File(
            path,
            media_type=content_type or "application/octet-stream",
            content_disposition_type="inline",
            filename=path.name,
            headers={
                "Cache-Control": f"private, max-age={LINK_CACHE_SECONDS}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @public
    @put(
        "/{key:path}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Store the body under a presigned local upload link",
        include_in_schema=False,
        request_max_body_size=None,
    )
    @inject
    async def upload(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        storage: FromDishka[ObjectStorage],
        signer: FromDishka[LinkSigner],
        clock: FromDishka[Clock],
        policy: FromDishka[MediaPolicy],
        expires: FromQuery[int],
        signature: FromQuery[str],
    ) -> None:
        key = key.lstrip("/")
        local = _local(storage)
        if not signer.verify("PUT", key, expires, signature, now=clock.now()):
            raise LinkInvalid()
        if declared_length(request) > policy.max_bytes:
            raise FileTooLarge(policy.max_bytes)
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > policy.max_bytes:
                raise FileTooLarge(policy.max_bytes)
        if not await local.put_new(key, bytes(body)):
            raise ObjectExists()
