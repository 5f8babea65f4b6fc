"""``/healthz``: database, chain and queue status in one JSON document."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from chain.errors import ChainError
from chain.redact import redact_text
from chain.store import SqlManifestStore
from legends.db import get_db
from legends.realtime import get_realtime
from legends.wiring.chainlink import get_chain
from legends.wiring.state_readings import get_reader
from nft import mint_audit_store
from nft.outbox_reads import backlog

bp = Blueprint("health", __name__)


def chain_status() -> dict[str, object]:
    link = get_chain()
    try:
        rpc = link.rpc
        chain_id, block = rpc.chain_id(), rpc.block_number()
    except ChainError as exc:
        return {"ok": False, "network": link.network, "error": redact_text(str(exc))}
    status: dict[str, object] = {"ok": True, "network": link.network, "chain_id": chain_id,
                                 "block": block}
    try:
        manifest = SqlManifestStore(get_db().sessions).load(chain_id)
    except Exception:  # no tables yet: the chain itself is fine
        manifest = None
    if manifest is not None and manifest.complete:
        status["suite"] = {"version": manifest.version, "contracts": manifest.addresses}
    else:
        status.update(ok=False, suite=None, error="suite not deployed")
    return status


def queue_status() -> dict[str, object]:
    """The message queue (in-process or Redis), the reward outbox backlog, the indexer lag."""
    status: dict[str, object] = {"ok": True, "backend": "in-process"}
    url = current_app.config.get("REDIS_URL")
    if url:
        status["backend"] = "redis"
        try:
            import redis

            redis.Redis.from_url(url, socket_timeout=1).ping()
        except Exception as exc:
            status.update(ok=False, error=type(exc).__name__)
    realtime = get_realtime().status()
    status["realtime"] = realtime
    if not realtime["ok"]:
        status.update(ok=False, error="realtime subscription to Redis is down")
    try:
        with get_db().sessions() as session:
            status["rewards"] = backlog(session)
    except Exception:  # no tables yet: the database part of the report says so
        status["rewards"] = None
    status["indexer_lag"] = get_reader().indexer_lag() if status["rewards"] is not None else None
    return status


def ledger_status(chain_id: int | None) -> dict[str, object]:
    """Shards on chain that the ledger did not mint (found by the caretaker's watch): any
    is a minter key used outside the ledger, so the report is degraded."""
    try:
        with get_db().sessions() as session:
            found = mint_audit_store.summary(session, chain_id)
    except Exception:  # no tables yet: the database part of the report says so
        return {"ok": True, "unledgered_mints": None, "sample": []}
    if found["count"]:
        return {"ok": False, "unledgered_mints": found["count"], "sample": found["sample"],
                "error": "shards minted on chain outside the reward ledger"}
    return {"ok": True, "unledgered_mints": 0, "sample": []}


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    chain = chain_status()
    report = {"database": get_db().status(), "chain": chain, "queue": queue_status(),
              "ledger": ledger_status(chain.get("chain_id"))}  # type: ignore[arg-type]
    healthy = all(part["ok"] for part in report.values())
    report = {"status": "ok" if healthy else "degraded", **report}
    return jsonify(report), 200 if healthy else 503
