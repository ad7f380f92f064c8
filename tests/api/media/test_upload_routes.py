"""``POST /media``: multipart uploads through the real app, every owner type and refusal."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.api.catalog.kit import API
from tests.api.identity.conftest import Client, assert_problem
from tests.unit.media.samples import GIF, HTML, JPEG, PDF, PNG, WEBP, sized

from .conftest import MAX_BYTES, Scene
from .kit import chunks, stored_files, upload, uploaded


async def test_a_user_uploads_their_avatar(api: Client, scene: Scene, media_dir: Path) -> None:
    pavel = scene.people.pavel
    response = await upload(api, pavel, "avatar", pavel.id, PNG, file_name="me.png")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["ownerType"] == "avatar"
    assert (body["ownerId"], body["uploadedBy"]) == (pavel.id, pavel.id)
    assert (body["status"], body["contentType"], body["sizeBytes"]) == ("READY", "image/png", len(PNG))
    assert (body["originalName"], body["deleteAfter"]) == ("me.png", None)
    assert body["createdAt"] == "2030-01-01T12:00:00Z"
    [stored] = stored_files(media_dir)
    assert stored.read_bytes() == PNG
    assert stored.name == body["id"]


@pytest.mark.parametrize(
    ("owner_type", "data", "kind"),
    [
        ("organizer_logo", PNG, "image/png"),
        ("team_photo", JPEG, "image/jpeg"),
        ("event_image", WEBP, "image/webp"),
    ],
)
async def test_the_organizer_adds_pictures_of_their_page(
    api: Client, scene: Scene, owner_type: str, data: bytes, kind: str
) -> None:
    owner_id = {
        "organizer_logo": scene.organizer_id,
        "team_photo": scene.member_id,
        "event_image": scene.event_id,
    }
    body = await uploaded(api, scene.cast.anna, owner_type, owner_id[owner_type], data)
    assert body["contentType"] == kind


async def test_an_admin_may_add_pictures_to_any_page(api: Client, scene: Scene) -> None:
    await uploaded(api, scene.cast.root, "organizer_logo", scene.organizer_id, PNG)


async def test_others_may_not_add_pictures_to_a_page(api: Client, scene: Scene, media_dir: Path) -> None:
    for outsider in (scene.cast.boris, scene.cast.vera):
        response = await upload(api, outsider, "organizer_logo", scene.organizer_id, PNG)
        assert_problem(response, 403, "media.forbidden")
    response = await upload(api, scene.people.rita, "avatar", scene.people.pavel.id, PNG)
    assert_problem(response, 403, "media.forbidden")
    assert stored_files(media_dir) == []


async def test_the_payer_uploads_a_proof_of_their_pending_booking(api: Client, scene: Scene) -> None:
    body = await uploaded(api, scene.people.pavel, "payment_proof", scene.booking_id, PDF)
    assert body["contentType"] == "application/pdf"
    assert body["deleteAfter"] == "2030-04-01T12:00:00Z"


async def test_nobody_else_uploads_a_proof_and_the_booking_must_be_pending(api: Client, scene: Scene) -> None:
    for other in (scene.people.rita, scene.cast.anna, scene.cast.root):
        response = await upload(api, other, "payment_proof", scene.booking_id, PNG)
        assert_problem(response, 404, "media.owner_not_found")
    confirm = await api.post(f"{API}/bookings/{scene.booking_id}/confirm", headers=scene.cast.anna.auth)
    assert confirm.status_code == 200, confirm.text
    response = await upload(api, scene.people.pavel, "payment_proof", scene.booking_id, PNG)
    assert_problem(response, 422, "media.booking_not_pending")


async def test_a_web_page_sent_as_a_picture_is_refused_by_its_bytes(
    api: Client, scene: Scene, media_dir: Path
) -> None:
    pavel = scene.people.pavel
    response = await upload(
        api, pavel, "avatar", pavel.id, HTML, file_name="cat.png", declared_type="image/png"
    )
    body = assert_problem(response, 422, "media.type_not_allowed")
    assert body["detectedType"] is None
    assert body["allowedTypes"] == ["image/jpeg", "image/png", "image/webp"]
    response = await upload(api, pavel, "avatar", pavel.id, GIF)
    assert_problem(response, 422, "media.type_not_allowed")
    assert stored_files(media_dir) == []


async def test_an_empty_file_is_refused(api: Client, scene: Scene) -> None:
    pavel = scene.people.pavel
    assert_problem(await upload(api, pavel, "avatar", pavel.id, b""), 400, "media.empty")


async def test_a_file_over_the_limit_is_refused_before_it_is_read(
    api: Client, scene: Scene, media_dir: Path
) -> None:
    pavel = scene.people.pavel
    ok = await upload(api, pavel, "avatar", pavel.id, sized(PNG, MAX_BYTES))
    assert ok.status_code == 201, ok.text
    response = await upload(api, pavel, "avatar", pavel.id, sized(PNG, MAX_BYTES + 1))
    assert assert_problem(response, 422, "media.too_large")["maxBytes"] == MAX_BYTES
    response = await upload(api, pavel, "avatar", pavel.id, sized(PNG, 2 * MAX_BYTES))
    assert_problem(response, 422, "media.too_large")
    assert len(stored_files(media_dir)) == 1


async def test_a_body_without_a_length_is_refused(api: Client, scene: Scene) -> None:
    response = await api.post(
        f"{API}/media",
        content=chunks(b"--x\r\n"),
        headers={**scene.people.pavel.auth, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert_problem(response, 400, "media.length_required")


async def test_a_malformed_form_names_each_bad_field(api: Client, scene: Scene) -> None:
    pavel = scene.people.pavel
    response = await api.post(
        f"{API}/media",
        data={"ownerType": "selfie", "ownerId": "nope"},
        files={"x": ("a", b"a")},
        headers=pavel.auth,
    )
    body = assert_problem(response, 400, "validation.failed")
    assert [e["field"] for e in body["errors"]] == ["ownerType", "ownerId", "file"]
    response = await api.post(f"{API}/media", files={"file": ("a.png", PNG, "image/png")}, headers=pavel.auth)
    body = assert_problem(response, 400, "validation.failed")
    assert [e["field"] for e in body["errors"]] == ["ownerType", "ownerId"]


async def test_an_unknown_owner_is_not_found(api: Client, scene: Scene) -> None:
    response = await upload(api, scene.cast.root, "event_image", str(uuid.uuid4()), PNG)
    assert_problem(response, 404, "media.owner_not_found")


async def test_uploading_needs_a_token(api: Client, scene: Scene) -> None:
    response = await upload(api, None, "avatar", scene.people.pavel.id, PNG)
    assert_problem(response, 401, "auth.unauthenticated")


async def test_the_upload_form_is_documented(api: Client) -> None:
    document = (await api.get(f"{API}/openapi.json")).json()
    body = document["paths"]["/api/v1/media"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["required"] == ["ownerType", "ownerId", "file"]
    assert body["schema"]["properties"]["file"]["format"] == "binary"
