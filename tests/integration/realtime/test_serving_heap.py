"""A served process freezes its start-up heap: the objects start-up made are out of the
cyclic collector's reach (a full collection over them paused a request for 110-150 ms),
while what serving makes afterwards is still collected."""

from __future__ import annotations

import gc
import weakref

from legends.realtime import serving


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_freezing_keeps_start_up_objects_and_still_collects_later_cycles():
    gc.unfreeze()
    try:
        frozen = serving.freeze_heap()
        assert frozen > 1000 and gc.get_freeze_count() == frozen
        later = Node()
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_the_server_is_made_after_the_heap_is_frozen(make_app, monkeypatch):
    app = make_app()
    calls = []
    monkeypatch.setattr(serving, "freeze_heap", lambda: calls.append("frozen") or 0)
    server = serving.server_for(app, "127.0.0.1", 0)
    try:
        assert calls == ["frozen"]
    finally:
        server.server_close()
