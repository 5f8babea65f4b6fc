"""Shared by the browser tests: Debian's Chromium driven by Playwright (never a downloaded
browser), and the app served on a free port in a thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def serve():
    """``serve(app)`` runs ``app`` on 127.0.0.1 at the port of its PUBLIC_URL."""
    from urllib.parse import urlparse

    from werkzeug.serving import make_server

    servers = []

    def start(app):  # type: ignore[no-untyped-def]
        port = urlparse(app.config["PUBLIC_URL"]).port
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return app.config["PUBLIC_URL"]

    yield start
    for server in servers:
        server.shutdown()
