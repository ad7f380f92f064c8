"""HTTP controllers of the identity domain: auth, the own profile, administration."""

from aquastream.adapters.http.identity.admin_routes import AdminController
from aquastream.adapters.http.identity.auth_routes import AuthController
from aquastream.adapters.http.identity.profile_routes import ProfileController

CONTROLLERS = [AuthController, ProfileController, AdminController]

__all__ = ["CONTROLLERS", "AdminController", "AuthController", "ProfileController"]
