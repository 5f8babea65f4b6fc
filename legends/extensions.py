"""Flask extensions created once and bound in the factory."""

from __future__ import annotations

from flask_socketio import SocketIO

# Threading mode with simple-websocket; same-origin only (no cors_allowed_origins='*').
socketio = SocketIO(async_mode="threading")
