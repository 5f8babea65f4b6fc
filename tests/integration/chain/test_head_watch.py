"""The node's new-block announcements (eth_subscribe newHeads over anvil's websocket) wake
the indexer's loop at once; an HTTP-only node leaves it on its own polling pace."""

from __future__ import annotations

import threading
import time

from netutil import free_port

from chain.heads import HeadWatch


def wait_until(check, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def test_a_mined_block_is_announced_at_once(devnet, chain_tx):
    watch = HeadWatch(devnet.config.url).start()
    try:
        assert wait_until(lambda: watch.subscribed)
        watch.wait(0)
        assert not watch.wait(0.3)  # nothing mined: nothing heard
        started = time.monotonic()
        chain_tx.chain.request("evm_mine", [])
        assert watch.wait(2.0) and time.monotonic() - started < 0.5
        assert watch.heads >= 1
    finally:
        watch.close()


def test_without_a_websocket_the_follower_keeps_its_own_pace():
    from legends.workers.verification import VerificationLoop

    watch = HeadWatch(f"http://127.0.0.1:{free_port()}").start()  # nothing listens there
    try:
        time.sleep(0.2)
        assert not watch.subscribed and not watch.wait(0.05)
        loop = VerificationLoop(indexer=None, sessions=None, interval=0.05, heads=watch)  # type: ignore[arg-type]
        started = time.monotonic()
        loop.pause(threading.Event())  # the interval, not HEAD_POLL_SECONDS
        assert time.monotonic() - started < 0.3
    finally:
        watch.close()


def test_at_the_head_the_loop_waits_for_the_announcement(devnet, chain_tx):
    from legends.workers.verification import HEAD_POLL_SECONDS, VerificationLoop

    watch = HeadWatch(devnet.config.url).start()
    try:
        assert wait_until(lambda: watch.subscribed)
        watch.wait(0)
        loop = VerificationLoop(indexer=None, sessions=None, interval=0.01, heads=watch)  # type: ignore[arg-type]
        threading.Timer(0.15, lambda: chain_tx.chain.request("evm_mine", [])).start()
        started = time.monotonic()
        loop.pause(threading.Event())
        waited = time.monotonic() - started
        assert 0.1 < waited < HEAD_POLL_SECONDS  # not the 10 ms interval: the block woke it
    finally:
        watch.close()
