"""``GET /media/{id}`` (signed links, who may read), presigned uploads with their local PUT
route, and ``DELETE /media/{id}``."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.identity.conftest import Client, assert_problem
from tests.api.worker import drain_outbox
from tests.unit.media.samples import HTML, PDF, PNG, sized

from .conftest import MAX_BYTES, Scene
from .kit import chunks, complete, fetch, link, start_upload, stored_files, stored_keys, uploaded


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()} | changes
    return parts._replace(query="&".join(f"{k}={v}" for k, v in query.items())).geturl()


# --- signed links ------------------------------------------------------------------------


async def test_anyone_gets_a_signed_link_to_a_logo_and_it_serves_the_bytes(api: Client, scene: Scene) -> None:
    logo = await uploaded(api, scene.cast.anna, "organizer_logo", scene.organizer_id, PNG)

    response = await link(api, None, logo["id"])

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["contentType"]) == (logo["id"], "image/png")
    assert body["expiresAt"] == "2030-01-01T12:15:00Z"
    got = await fetch(api, body["url"])
    assert got.status_code == 200
    assert got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"


async def test_a_link_stops_working_when_it_expires_or_is_altered(
    api: Client, scene: Scene, clock: FrozenClock
) -> None:
    logo = await uploaded(api, scene.cast.anna, "organizer_logo", scene.organizer_id, PNG)
    url = (await link(api, None, logo["id"])).json()["url"]

    assert_problem(await fetch(api, with_query(url, type="text/html")), 403, "media.link_invalid")
    assert_problem(await fetch(api, with_query(url, signature="A" * 43)), 403, "media.link_invalid")
    other_key = url.replace(logo["id"], str(uuid.uuid4()))
    assert_problem(await fetch(api, other_key), 403, "media.link_invalid")
    clock.advance(minutes=15, seconds=1)
    assert_problem(await fetch(api, url), 403, "media.link_invalid")


async def test_an_avatar_is_seen_by_its_user_and_admins(api: Client, scene: Scene) -> None:
    pavel = scene.people.pavel
    avatar = await uploaded(api, pavel, "avatar", pavel.id, PNG)
    for reader in (pavel, scene.cast.root):
        assert (await link(api, reader, avatar["id"])).status_code == 200
    for other in (None, scene.people.rita, scene.cast.anna):
        assert_problem(await link(api, other, avatar["id"]), 404, "media.not_found")


async def test_a_proof_is_seen_by_the_payer_the_organizer_and_admins(api: Client, scene: Scene) -> None:
    proof = await uploaded(api, scene.people.pavel, "payment_proof", scene.booking_id, PDF)
    for reader in (scene.people.pavel, scene.cast.anna, scene.cast.root):
        response = await link(api, reader, proof["id"])
        assert response.status_code == 200, response.text
        assert (await fetch(api, response.json()["url"])).content == PDF
    for other in (None, scene.people.rita, scene.cast.boris):
        assert_problem(await link(api, other, proof["id"]), 404, "media.not_found")


async def test_an_unknown_file_is_not_found(api: Client, scene: Scene) -> None:
    assert_problem(await link(api, scene.cast.root, str(uuid.uuid4())), 404, "media.not_found")


# --- presigned uploads -------------------------------------------------------------------


async def started(api: Client, scene: Scene) -> dict[str, Any]:
    response = await start_upload(api, scene.people.pavel, "payment_proof", scene.booking_id)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_presigned_upload_is_put_then_completed(api: Client, scene: Scene, media_dir: Path) -> None:
    pavel = scene.people.pavel
    pending = await started(api, scene)
    assert (pending["status"], pending["contentType"], pending["originalName"]) == (
        "PENDING",
        None,
        "scan.png",
    )
    assert pending["uploadMethod"] == "PUT"
    assert pending["expiresAt"] == "2030-01-01T12:15:00Z"
    assert_problem(await link(api, pavel, pending["id"]), 404, "media.not_found")

    put = await api.put(pending["uploadUrl"], content=PDF)
    assert put.status_code == 204, put.text
    done = await complete(api, pavel, pending["id"])

    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["status"], body["contentType"], body["sizeBytes"]) == ("READY", "application/pdf", len(PDF))
    assert body["deleteAfter"] == "2030-04-01T12:00:00Z"
    again = await complete(api, pavel, pending["id"])
    assert again.json() == body
    assert (await fetch(api, (await link(api, pavel, pending["id"])).json()["url"])).content == PDF
    assert len(stored_files(media_dir)) == 1


async def test_an_upload_link_stores_once_and_only_with_its_signature(
    api: Client, scene: Scene, clock: FrozenClock
) -> None:
    pending = await started(api, scene)
    url = pending["uploadUrl"]
    assert_problem(await api.put(with_query(url, signature="A" * 43), content=PNG), 403, "media.link_invalid")
    assert_problem(await api.put(url, content=sized(PNG, MAX_BYTES + 1)), 422, "media.too_large")
    assert (await api.put(url, content=PNG)).status_code == 204
    assert_problem(await api.put(url, content=HTML), 409, "media.already_uploaded")
    clock.advance(minutes=16)
    assert_problem(await api.put(url, content=PNG), 403, "media.link_invalid")


async def test_completing_before_the_put_keeps_the_upload_open(api: Client, scene: Scene) -> None:
    pending = await started(api, scene)
    assert_problem(await complete(api, scene.people.pavel, pending["id"]), 409, "media.not_uploaded")
    assert (await api.put(pending["uploadUrl"], content=PNG)).status_code == 204
    assert (await complete(api, scene.people.pavel, pending["id"])).status_code == 200


async def test_a_stored_object_that_fails_the_checks_is_removed_and_may_be_sent_again(
    api: Client, scene: Scene, media_dir: Path
) -> None:
    pavel = scene.people.pavel
    pending = await started(api, scene)
    assert (await api.put(pending["uploadUrl"], content=HTML)).status_code == 204
    assert_problem(await complete(api, pavel, pending["id"]), 422, "media.type_not_allowed")
    assert stored_files(media_dir) == []
    assert_problem(await complete(api, pavel, pending["id"]), 409, "media.not_uploaded")
    assert (await api.put(pending["uploadUrl"], content=PNG)).status_code == 204
    assert (await complete(api, pavel, pending["id"])).json()["status"] == "READY"


async def test_only_the_uploader_completes(api: Client, scene: Scene) -> None:
    pending = await started(api, scene)
    assert (await api.put(pending["uploadUrl"], content=PNG)).status_code == 204
    for other in (scene.people.rita, scene.cast.root):
        assert_problem(await complete(api, other, pending["id"]), 404, "media.not_found")


async def test_starting_an_upload_follows_the_owner_rules(api: Client, scene: Scene) -> None:
    response = await start_upload(api, scene.cast.boris, "organizer_logo", scene.organizer_id)
    assert_problem(response, 403, "media.forbidden")
    response = await api.post(
        "/api/v1/media/uploads",
        json={"ownerType": "selfie", "ownerId": scene.organizer_id},
        headers=scene.cast.anna.auth,
    )
    assert_problem(response, 400, "validation.failed")


# --- deletion ----------------------------------------------------------------------------


async def test_the_owner_deletes_a_file_and_its_bytes_go_too(
    api: Client, scene: Scene, media_dir: Path
) -> None:
    pavel = scene.people.pavel
    avatar = await uploaded(api, pavel, "avatar", pavel.id, PNG)
    url = (await link(api, pavel, avatar["id"])).json()["url"]

    response = await api.delete(f"/api/v1/media/{avatar['id']}", headers=pavel.auth)

    assert response.status_code == 204, response.text
    assert_problem(await link(api, pavel, avatar["id"]), 404, "media.not_found")
    await drain_outbox(api)
    assert stored_files(media_dir) == []
    assert_problem(await fetch(api, url), 404, "media.not_found")
    again = await api.delete(f"/api/v1/media/{avatar['id']}", headers=pavel.auth)
    assert_problem(again, 404, "media.not_found")


async def test_others_may_not_delete(api: Client, scene: Scene) -> None:
    logo = await uploaded(api, scene.cast.anna, "organizer_logo", scene.organizer_id, PNG)
    avatar = await uploaded(api, scene.people.pavel, "avatar", scene.people.pavel.id, PNG)
    assert_problem(
        await api.delete(f"/api/v1/media/{logo['id']}", headers=scene.cast.boris.auth), 403, "media.forbidden"
    )
    assert_problem(
        await api.delete(f"/api/v1/media/{avatar['id']}", headers=scene.people.rita.auth),
        404,
        "media.not_found",
    )
    assert (await api.delete(f"/api/v1/media/{logo['id']}", headers=scene.cast.root.auth)).status_code == 204
    assert_problem(
        await api.delete(f"/api/v1/media/{uuid.uuid4()}", headers=scene.cast.root.auth),
        404,
        "media.not_found",
    )
    assert_problem(await api.delete(f"/api/v1/media/{avatar['id']}"), 401, "auth.unauthenticated")


async def test_deleting_an_account_deletes_its_avatar(api: Client, scene: Scene, media_dir: Path) -> None:
    rita = scene.people.rita
    avatar = await uploaded(api, rita, "avatar", rita.id, PNG)
    logo = await uploaded(api, scene.cast.anna, "organizer_logo", scene.organizer_id, PNG)

    assert (await api.delete("/api/v1/users/me", headers=rita.auth)).status_code == 204
    await drain_outbox(api)

    assert_problem(await link(api, scene.cast.root, avatar["id"]), 404, "media.not_found")
    # The logo stays, with the one variant the worker made of it (4 px: its own size).
    logo_key = f"organizer_logo/{scene.organizer_id}/{logo['id']}"
    assert stored_keys(media_dir) == [logo_key, f"{logo_key}.variants/4.webp"]


async def test_presigned_routes_refuse_what_they_cannot_serve(api: Client, scene: Scene) -> None:
    pavel = scene.people.pavel
    assert_problem(
        await start_upload(api, pavel, "event_image", str(uuid.uuid4())), 404, "media.owner_not_found"
    )
    unauthenticated = await api.post(
        "/api/v1/media/uploads", json={"ownerType": "avatar", "ownerId": pavel.id}
    )
    assert_problem(unauthenticated, 401, "auth.unauthenticated")
    pending = await started(api, scene)
    assert_problem(await api.post(f"/api/v1/media/{pending['id']}/complete"), 401, "auth.unauthenticated")
    chunked = await api.put(pending["uploadUrl"], content=chunks(PNG))
    assert_problem(chunked, 400, "media.length_required")


async def test_a_proof_cannot_be_completed_once_the_booking_is_paid(api: Client, scene: Scene) -> None:
    pending = await started(api, scene)
    assert (await api.put(pending["uploadUrl"], content=PNG)).status_code == 204
    confirm = await api.post(f"/api/v1/bookings/{scene.booking_id}/confirm", headers=scene.cast.anna.auth)
    assert confirm.status_code == 200, confirm.text
    response = await complete(api, scene.people.pavel, pending["id"])
    assert_problem(response, 422, "media.booking_not_pending")
