"""Wiring of the quest engine into the app: the clock, the leaderboard backend, the chain
reader and the completion sink (the composition root chooses them all here)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app

from legends.realtime.sink import LiveSink
from legends.wiring import leaderboards, state_readings
from quests.ports import Clock, SystemClock
from quests.service import install_sink


def init_app(app: Flask) -> None:
    app.extensions["legends.clock"] = SystemClock()
    mirror = leaderboards.init_app(app)
    state_readings.init_app(app)
    sink = LiveSink(mirror)
    app.extensions["legends.completion_sink"] = sink
    install_sink(sink)


def clock() -> Clock:
    return current_app.extensions["legends.clock"]


def now() -> datetime:
    return clock().now()
