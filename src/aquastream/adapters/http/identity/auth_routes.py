"""``/auth``: register, log in, refresh, log out, password recovery."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.identity.dto import (
    LoginIn,
    RecoveryInitIn,
    RecoveryInitOut,
    RecoveryResetIn,
    RecoveryVerifyIn,
    RecoveryVerifyOut,
    RefreshIn,
    RegisterIn,
    TokensOut,
)
from aquastream.domain.identity.auth import Credentials, LogIn, LogOut, LogOutEverywhere, RefreshTokens
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.identity.recovery import RequestPasswordRecovery, ResetPassword, VerifyRecoveryCode
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.shared.principal import Principal


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @public
    @post("/register", summary="Create an account and log in")
    @inject
    async def register(
        self,
        data: JSONBody[RegisterIn],
        register_user: FromDishka[RegisterUser],
        ctx: FromDishka[RequestContext],
    ) -> TokensOut:
        _, tokens = await register_user(Registration(data.email, data.password, data.phone), ctx)
        return TokensOut.of(tokens)

    @public
    @post("/login", status_code=HTTP_200_OK, summary="Exchange email and password for tokens")
    @inject
    async def login(
        self, data: JSONBody[LoginIn], log_in: FromDishka[LogIn], ctx: FromDishka[RequestContext]
    ) -> TokensOut:
        return TokensOut.of(await log_in(Credentials(data.email, data.password), ctx))

    @public
    @post("/refresh", status_code=HTTP_200_OK, summary="Rotate a refresh token into a new pair")
    @inject
    async def refresh(
        self,
        data: JSONBody[RefreshIn],
        refresh_tokens: FromDishka[RefreshTokens],
        ctx: FromDishka[RequestContext],
    ) -> TokensOut:
        return TokensOut.of(await refresh_tokens(data.refresh_token, ctx))

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="Revoke one refresh session")
    @inject
    async def logout(
        self,
        data: JSONBody[RefreshIn],
        caller: FromDishka[Principal],
        log_out: FromDishka[LogOut],
        ctx: FromDishka[RequestContext],
    ) -> None:
        await log_out(caller, data.refresh_token, ctx)

    @post("/logout-all", status_code=HTTP_204_NO_CONTENT, summary="Revoke every session of the caller")
    @inject
    async def logout_all(
        self,
        caller: FromDishka[Principal],
        log_out_everywhere: FromDishka[LogOutEverywhere],
        ctx: FromDishka[RequestContext],
    ) -> None:
        await log_out_everywhere(caller, ctx)

    @public
    @post("/recovery/init", status_code=HTTP_202_ACCEPTED, summary="Send a recovery code")
    @inject
    async def recovery_init(
        self,
        data: JSONBody[RecoveryInitIn],
        request_recovery: FromDishka[RequestPasswordRecovery],
        ctx: FromDishka[RequestContext],
    ) -> RecoveryInitOut:
        """Answers the same whether or not the email belongs to an account."""
        await request_recovery(data.email, ctx)
        return RecoveryInitOut()

    @public
    @post("/recovery/verify", status_code=HTTP_200_OK, summary="Trade a recovery code for a reset token")
    @inject
    async def recovery_verify(
        self, data: JSONBody[RecoveryVerifyIn], verify_code: FromDishka[VerifyRecoveryCode]
    ) -> RecoveryVerifyOut:
        reset_token, expires_in = await verify_code(data.email, data.code)
        return RecoveryVerifyOut(reset_token, expires_in)

    @public
    @post("/recovery/reset", status_code=HTTP_204_NO_CONTENT, summary="Set a new password")
    @inject
    async def recovery_reset(
        self,
        data: JSONBody[RecoveryResetIn],
        reset_password: FromDishka[ResetPassword],
        ctx: FromDishka[RequestContext],
    ) -> None:
        """Every session of the account is revoked."""
        await reset_password(data.reset_token, data.new_password, ctx)
