"""The game's background loops (verification, reward worker, caretaker; the scheduler of
legends/scheduler), their single-instance locks and the runners that start them as threads
or processes."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask


def start_background(app: Flask) -> Callable[[], None]:
    """Start the in-process workers the embedded setup needs; returns their stopper."""
    from legends.scheduler.runner import start_scheduler
    from legends.workers.caretaker import start_caretaker
    from legends.workers.rewards import start_reward_worker
    from legends.workers.verification import start_thread

    workers: list[Callable[[], None]] = [start_thread(app), start_reward_worker(app),
                                         start_caretaker(app), start_scheduler(app)]

    def stop() -> None:
        for stopper in reversed(workers):
            stopper()

    return stop
