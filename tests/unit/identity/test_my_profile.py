"""The own profile: read with id, email and role; partial, validated, audited updates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import msgspec
import pytest

from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.errors import UserBlocked, UserNotFound
from aquastream.domain.identity.model import AuditAction, Principal, Role
from aquastream.domain.identity.profile import GetMyProfile, ProfileChanges, ProfileView, UpdateMyProfile
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.identity.identity_kit import IdentityKit


async def update(kit: IdentityKit, me: Principal, **changes: object) -> ProfileView:
    return await kit.make(UpdateMyProfile)(me, ProfileChanges(**changes))  # type: ignore[arg-type]


async def test_my_profile_carries_id_email_and_role(kit: IdentityKit) -> None:
    user_id, _ = await kit.register("olga@example.com", phone="+79991234567")

    view = await kit.make(GetMyProfile)(Principal(user_id, Role.USER))

    assert (view.user_id, view.email, view.role) == (user_id, "olga@example.com", Role.USER)
    assert view.phone == "+79991234567"
    assert (view.telegram, view.telegram_verified, view.first_name, view.extra) == (None, False, None, {})


async def test_an_unknown_caller_has_no_profile(kit: IdentityKit) -> None:
    with pytest.raises(UserNotFound):
        await kit.make(GetMyProfile)(Principal(uuid.uuid4(), Role.USER))


async def test_unset_fields_stay_and_none_clears(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    await update(kit, me, first_name="Olga", last_name="Ivanova", phone="+79991234567")

    view = await update(kit, me, last_name=None)

    assert (view.first_name, view.last_name, view.phone) == ("Olga", None, "+79991234567")
    stored = kit.profile(me.user_id)
    assert (stored.first_name, stored.last_name) == ("Olga", None)
    assert stored.updated_at == kit.clock.now()


async def test_values_are_tidied(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    view = await update(
        kit, me, phone="+7 (999) 123-45-67", telegram="olga_river", first_name="  Olga ", last_name=""
    )

    assert (view.phone, view.telegram, view.first_name, view.last_name) == (
        "+79991234567",
        "@olga_river",
        "Olga",
        None,
    )


async def test_every_invalid_field_is_reported_at_once(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    today = kit.clock.now().date()

    with pytest.raises(ValidationFailed) as caught:
        await update(
            kit,
            me,
            phone="89991234567",
            telegram="@abc",
            first_name="x" * 101,
            last_name="y" * 101,
            birth_date=today + timedelta(days=1),
            extra={"notes": "z" * 9000},
        )

    fields = {e.field for e in caught.value.errors}
    assert fields == {"phone", "telegram", "firstName", "lastName", "birthDate", "extra"}
    assert kit.audit(AuditAction.PROFILE_UPDATED) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "+0123456789"}, "phone"),
        ({"phone": "+12345"}, "phone"),
        ({"phone": "+1234567890123456"}, "phone"),
        ({"telegram": "@" + "a" * 33}, "telegram"),
        ({"telegram": "@bad-name"}, "telegram"),
        ({"birth_date": date(1899, 12, 31)}, "birthDate"),
    ],
)
async def test_single_invalid_values_are_refused(
    kit: IdentityKit, changes: dict[str, object], field: str
) -> None:
    me = await kit.user_principal()

    with pytest.raises(ValidationFailed) as caught:
        await update(kit, me, **changes)

    assert [e.field for e in caught.value.errors] == [field]


async def test_boundary_values_are_accepted(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    view = await update(
        kit,
        me,
        phone="+1234567",
        telegram="@" + "a" * 32,
        first_name="x" * 100,
        birth_date=date(1900, 1, 1),
        extra={"notes": "z" * (kit.policy.extra_max_bytes - 20)},
    )

    assert view.birth_date == date(1900, 1, 1)


async def test_extra_must_be_a_json_object(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    with pytest.raises(ValidationFailed) as caught:
        await update(kit, me, extra=["not", "an", "object"])

    assert caught.value.errors[0].field == "extra"


async def test_clearing_extra_leaves_an_empty_object(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    await update(kit, me, extra={"shoeSize": 42})

    view = await update(kit, me, extra=None)

    assert view.extra == {}


async def test_a_new_telegram_handle_is_no_longer_verified(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    await update(kit, me, telegram="@olga_river")
    kit.profile(me.user_id).telegram_verified = True

    await update(kit, me, telegram="@OLGA_RIVER", first_name="Olga")
    assert kit.profile(me.user_id).telegram_verified

    await update(kit, me, telegram="@someone_else")
    assert not kit.profile(me.user_id).telegram_verified


async def test_updates_are_audited_with_field_names_only(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    await update(kit, me, first_name="Olga", birth_date=date(1990, 5, 17), phone=None)

    [entry] = kit.audit(AuditAction.PROFILE_UPDATED)
    assert entry.payload == {"fields": ["firstName", "birthDate"]}
    assert "Olga" not in str(entry.payload)


async def test_an_update_that_changes_nothing_is_not_audited(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    await update(kit, me, phone=None)
    await update(kit, me)

    assert kit.audit(AuditAction.PROFILE_UPDATED) == []


def test_changes_decode_from_camel_case_json_with_unset_meaning_unchanged() -> None:
    changes = msgspec.json.decode(b'{"firstName": "Olga", "birthDate": null}', type=ProfileChanges)

    assert changes.first_name == "Olga"
    assert changes.birth_date is None
    assert changes.phone is msgspec.UNSET


async def test_a_blocked_user_cannot_change_the_profile(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    me = await kit.user_principal()
    await kit.make(BlockUser)(admin, me.user_id)

    with pytest.raises(UserBlocked):
        await update(kit, me, first_name="Olga")
