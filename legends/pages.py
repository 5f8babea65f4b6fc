"""Server-rendered pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from legends.chainlink import get_chain
from legends.health import chain_status

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    return render_template("index.html", health={"chain": chain_status()},
                           rpc_url=get_chain().rpc_url)
