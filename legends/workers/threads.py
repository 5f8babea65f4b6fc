"""The game's long-running loops (verification, reward worker, caretaker) as threads.

Each loop is a function ``(app, stop, say)`` that returns once ``stop`` is set. ``legends up``
runs them as daemon threads of the web process; ``legends indexer|worker|caretaker`` run one
in the foreground of its own process until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from flask import Flask

Say = Callable[[str], None]
Loop = Callable[[Flask, threading.Event, Say], None]
log = logging.getLogger(__name__)


def start_daemon(app: Flask, loop: Loop, name: str, join_timeout: float = 10.0) -> Callable[[], None]:
    """Run ``loop`` in a daemon thread; returns a stopper that ends it cleanly."""
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(app, stop, log.info), name=name, daemon=True)
    thread.start()

    def stopper() -> None:
        stop.set()
        thread.join(join_timeout)
        if thread.is_alive():
            log.warning("%s still busy after %.0fs", name, join_timeout)

    return stopper


def run_in_foreground(app: Flask, loop: Loop, name: str, say: Say) -> None:
    """Run ``loop`` until Ctrl-C or SIGTERM, then let it finish its step and return."""
    if not logging.getLogger().handlers:  # the loops log their retries
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    say(f"{name} on {app.extensions['legends.chain'].shown_url} (Ctrl-C stops it)")
    thread = threading.Thread(target=loop, args=(app, stop, say), name=f"legends-{name}")
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        thread.join()
    say(f"{name} stopped")
