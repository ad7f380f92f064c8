"""Errors of the identity domain."""

from __future__ import annotations

from aquastream.domain.shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    RuleViolated,
    Unauthenticated,
    ValidationFailed,
)


class EmailAlreadyRegistered(Conflict):
    code = "user.email_taken"
    default_message = "This email is already registered."


class WeakPassword(ValidationFailed):
    code = "password.weak"
    default_message = "The password does not meet the policy."


class InvalidCredentials(Unauthenticated):
    code = "auth.invalid_credentials"
    default_message = "Invalid email or password."


class InvalidRefreshToken(Unauthenticated):
    code = "auth.invalid_refresh_token"
    default_message = "The refresh token is invalid, expired or revoked."


class InvalidRecoveryCode(RuleViolated):
    code = "recovery.invalid_code"
    default_message = "The recovery code is invalid or expired."


class RecoveryAttemptsExceeded(RuleViolated):
    code = "recovery.too_many_attempts"
    default_message = "Too many wrong codes; request a new one."


class InvalidResetToken(RuleViolated):
    code = "recovery.invalid_reset_token"
    default_message = "The reset token is invalid or expired."


class InvalidLinkCode(RuleViolated):
    code = "telegram.invalid_link_code"
    default_message = "The Telegram link code is invalid or expired."


class UserNotFound(NotFound):
    code = "user.not_found"
    default_message = "User not found."


class NotAllowed(Forbidden):
    code = "auth.forbidden"


class CannotChangeOwnAccess(RuleViolated):
    code = "user.self_change"
    default_message = "Admins cannot change their own role or block themselves."


class UserBlocked(Forbidden):
    """The account is blocked (inactive): it may not log in or change anything."""

    code = "user.blocked"
    default_message = "This account is blocked."


class SessionNotFound(NotFound):
    """No live session of the caller has this id (unknown, another user's, or ended)."""

    code = "session.not_found"
    default_message = "Session not found."


class InvalidVerificationCode(RuleViolated):
    code = "email.invalid_code"
    default_message = "The verification code is invalid or expired."


class VerificationAttemptsExceeded(RuleViolated):
    code = "email.too_many_attempts"
    default_message = "Too many wrong codes; ask for a new one."


class EmailAlreadyVerified(Conflict):
    code = "email.already_verified"
    default_message = "This email is verified already."


class WrongPassword(Forbidden):
    """A change that needs the current password was asked with another one."""

    code = "auth.wrong_password"
    default_message = "The current password is wrong."
