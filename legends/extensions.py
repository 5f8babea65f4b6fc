"""Flask extensions created once and bound in the factory."""

from __future__ import annotations

from flask_socketio import SocketIO

# The async mode is chosen when the app is bound (legends.realtime.async_mode: gevent in a
# process patched by ``legends serve``, else threading with simple-websocket); same-origin
# only (no cors_allowed_origins='*').
socketio = SocketIO()
