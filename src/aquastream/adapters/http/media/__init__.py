"""HTTP controllers of the media domain: uploads, signed links and deletion, and the routes
that serve the local storage's signed links."""

from aquastream.adapters.http.media.media_routes import MediaController
from aquastream.adapters.http.media.object_routes import LocalObjectController

CONTROLLERS = [MediaController, LocalObjectController]

__all__ = ["CONTROLLERS", "LocalObjectController", "MediaController"]
