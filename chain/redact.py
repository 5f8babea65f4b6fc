"""RPC credentials never leave the process: the one place that hides them.

A JSON-RPC URL often carries a secret: ``user:pass@`` in its authority, an ``apikey=`` in its
query, or a project key as a path segment (``/v3/<key>`` at Infura, ``/v2/<key>`` at
Alchemy, ``/<token>/`` at QuickNode). :func:`redact_url` keeps what a reader needs (scheme,
host, port, the plain words of the path) and replaces every secret-looking part with
``***``; a loopback devnet URL has none and comes back unchanged. :func:`redact_text` does
the same for every URL inside a message, and for the secrets of URLs it was told about
(:func:`remember`), which may appear without their URL (an HTTP library's debug line names
the path and query only). :func:`redact_logs` makes every log record pass through it.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import SplitResult, parse_qsl, urlsplit

HIDDEN = "***"
# A path segment is a token when it is long and looks random: word characters only, at
# least 16 of them with a digit among them, or at least 24 (a key of letters only).
_TOKEN = re.compile(r"[A-Za-z0-9_\-]{16,}")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>]+")
_known: set[str] = set()
_known_lock = threading.Lock()


def _is_token(segment: str) -> bool:
    return bool(_TOKEN.fullmatch(segment)) and (len(segment) >= 24 or any(c.isdigit() for c in segment))


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- a bad port raises here, not later
    except ValueError:
        return None
    return parts if parts.scheme and parts.netloc else None


def secrets_of(url: str) -> list[str]:
    """The secret parts of ``url`` (user, password, path tokens, query values)."""
    parts = _split(url)
    if parts is None:
        return []
    found = [value for value in (parts.username, parts.password) if value]
    found += [segment for segment in parts.path.split("/") if _is_token(segment)]
    found += [value for _, value in parse_qsl(parts.query, keep_blank_values=True) if value]
    if parts.fragment:
        found.append(parts.fragment)
    return found


def redact_url(url: str) -> str:
    """``url`` with its credentials, query values and key-like path segments hidden."""
    parts = _split(url)
    if parts is None:
        return HIDDEN if url and ("@" in url or "?" in url) else url
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{HIDDEN}@{host}" if "@" in parts.netloc else host
    path = "/".join(HIDDEN if _is_token(segment) else segment for segment in parts.path.split("/"))
    query = "&".join(f"{key}={HIDDEN}" if value else key
                     for key, value in parse_qsl(parts.query, keep_blank_values=True))
    if parts.query and not query:
        query = HIDDEN
    return SplitResult(parts.scheme, netloc, path, query, HIDDEN if parts.fragment else "").geturl()


def remember(url: str | None) -> None:
    """Hide the secrets of ``url`` wherever they appear in text from now on."""
    if url:
        with _known_lock:
            _known.update(secret for secret in secrets_of(url) if len(secret) >= 3)


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted, and every remembered secret hidden."""
    text = _URL.sub(lambda found: redact_url(found.group(0)), text)
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


def _needs_care(text: str) -> bool:
    return "://" in text or any(secret in text for secret in _known)


_previous_factory = None


def redact_logs() -> None:
    """Every log record is redacted as it is made, whoever logs it and wherever it goes
    (a record factory, so handlers added later, pytest's included, see the same text)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    _previous_factory = logging.getLogRecordFactory()
    make = _previous_factory

    def redacted_record(*args, **kwargs):  # type: ignore[no-untyped-def]
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler to report
            return record
        if _needs_care(message):
            record.msg, record.args = redact_text(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if _needs_care(text):
                record.exc_text = redact_text(text)
        return record

    logging.setLogRecordFactory(redacted_record)
