"""HTTP controllers of the identity domain: auth, the own profile and sessions, administration."""

from aquastream.adapters.http.identity.admin_routes import AdminController
from aquastream.adapters.http.identity.auth_routes import AuthController
from aquastream.adapters.http.identity.profile_routes import ProfileController
from aquastream.adapters.http.identity.session_routes import SessionController

CONTROLLERS = [AuthController, ProfileController, SessionController, AdminController]

__all__ = ["CONTROLLERS", "AdminController", "AuthController", "ProfileController", "SessionController"]
