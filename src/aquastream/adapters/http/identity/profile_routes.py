"""``/users/me``: the caller's own account, profile, email (change, verification), Telegram
link, export and deletion."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, delete, get, post, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.identity.dto import (
    EmailChangeIn,
    EmailVerifyIn,
    ProfileOut,
    TelegramLinkOut,
    VerificationSentOut,
)
from aquastream.adapters.http.route_options import RATE_LIMIT
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.identity.privacy import DeleteMyAccount, ExportMyData
from aquastream.domain.identity.profile import GetMyProfile, ProfileChanges, UpdateMyProfile
from aquastream.domain.identity.telegram import CreateTelegramLink
from aquastream.domain.identity.verification import (
    ChangeMyEmail,
    EmailChange,
    ResendEmailVerification,
    VerifyMyEmail,
)
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.ports.pictures import AvatarLinks


class ProfileController(Controller):
    path = "/users/me"
    tags = ["profile"]

    @get("", summary="The caller's account and profile")
    @inject
    async def show(
        self,
        caller: FromDishka[Principal],
        get_profile: FromDishka[GetMyProfile],
        avatars: FromDishka[AvatarLinks],
    ) -> ProfileOut:
        """``avatar`` is the caller's newest avatar (``POST /media`` with ``ownerType`` avatar),
        with signed links to it and its resized variants; null when they have none."""
        profile = await get_profile(caller)
        return ProfileOut.of(profile, await avatars.current_avatar(caller.user_id))

    @put("", summary="Change profile fields (absent = unchanged, null = cleared)")
    @inject
    async def update(
        self,
        data: JSONBody[ProfileChanges],
        caller: FromDishka[Principal],
        update_profile: FromDishka[UpdateMyProfile],
        ctx: FromDishka[RequestContext],
        avatars: FromDishka[AvatarLinks],
    ) -> ProfileOut:
        profile = await update_profile(caller, data, ctx)
        return ProfileOut.of(profile, await avatars.current_avatar(caller.user_id))

    @put("/email", summary="Change the email (it must be verified again)", opt={RATE_LIMIT: "recovery"})
    @inject
    async def change_email(
        self,
        data: JSONBody[EmailChangeIn],
        caller: FromDishka[Principal],
        change_email: FromDishka[ChangeMyEmail],
        ctx: FromDishka[RequestContext],
    ) -> ProfileOut:
        """Limited as the recovery routes are: each change emails a code."""
        return ProfileOut.of(await change_email(caller, EmailChange(data.email, data.password), ctx))

    @post(
        "/email/verify",
        status_code=HTTP_200_OK,
        summary="Verify the email with the code sent to it",
        opt={RATE_LIMIT: "recovery"},
    )
    @inject
    async def verify_email(
        self,
        data: JSONBody[EmailVerifyIn],
        caller: FromDishka[Principal],
        verify_email: FromDishka[VerifyMyEmail],
        ctx: FromDishka[RequestContext],
    ) -> ProfileOut:
        """Limited as the recovery routes are."""
        return ProfileOut.of(await verify_email(caller, data.code, ctx))

    @post(
        "/email/verification",
        status_code=HTTP_202_ACCEPTED,
        summary="Send a new email-verification code",
        opt={RATE_LIMIT: "recovery"},
    )
    @inject
    async def resend_verification(
        self,
        caller: FromDishka[Principal],
        resend: FromDishka[ResendEmailVerification],
        ctx: FromDishka[RequestContext],
    ) -> VerificationSentOut:
        """Limited as the recovery routes are."""
        await resend(caller, ctx)
        return VerificationSentOut()

    @post("/telegram/link", status_code=HTTP_200_OK, summary="A deep link that links a Telegram chat")
    @inject
    async def telegram_link(
        self, caller: FromDishka[Principal], create_link: FromDishka[CreateTelegramLink]
    ) -> TelegramLinkOut:
        return TelegramLinkOut.of(await create_link(caller))

    @get("/export", summary="Everything held about the caller, as JSON")
    @inject
    async def export(
        self,
        caller: FromDishka[Principal],
        export_data: FromDishka[ExportMyData],
        sections: FromDishka[list[PersonalDataSection]],
        ctx: FromDishka[RequestContext],
    ) -> Response[dict[str, Any]]:
        """Identity's keys (unchanged) plus one key per other domain. Identity goes first: it
        refuses an unknown caller and audits the export before any other domain is read."""
        data = await export_data(caller, ctx)
        for section in sections:
            data[section.key] = await section.export(caller.user_id)
        return Response(
            data,
            headers={"Content-Disposition": f'attachment; filename="aquastream-{caller.user_id}.json"'},
        )

    @delete("", status_code=HTTP_204_NO_CONTENT, summary="Delete the account (personal data is anonymised)")
    @inject
    async def delete_account(
        self,
        caller: FromDishka[Principal],
        delete_account: FromDishka[DeleteMyAccount],
        ctx: FromDishka[RequestContext],
    ) -> None:
        await delete_account(caller, ctx)
