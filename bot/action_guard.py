"""The action server's guard: shared secret, bounded bodies, no 5xx echo (security review H2, L3).

rasa-sdk 3.6 has no authentication, listens on ``SANIC_HOST`` (default 0.0.0.0), inflates a
``Content-Encoding: deflate`` body without limit (298 KB became 300 MB) and answers an exception
with a 500 that echoes the whole request body (a real tracker: messages and slots). Anyone who
reaches it can run ``action_forget_me`` or ``action_callback_submit`` for any sender id.

Installed into every action server by ``rasa_sdk_plugins`` (rasa-sdk's own plugin hook):

* ``OIH_ACTIONS_SECRET`` set: every request except ``GET /health`` must carry it in the
  ``X-OIH-Actions-Secret`` header (constant-time compare), else 403. Rasa sends it (the
  ``headers:`` of ``action_endpoint`` in endpoints*.yml).
* listening elsewhere than loopback without a secret of at least 32 characters: start-up is
  refused (``python -m bot serve`` listens on 127.0.0.1 and makes a secret per run).
* ``Content-Encoding: deflate`` is inflated with a cap (``OIH_ACTIONS_MAX_DECOMPRESSED_BYTES``,
  default 16 MB): 413 beyond it, 400 when broken; other encodings get 415. The request size
  itself is capped at ``OIH_ACTIONS_MAX_REQUEST_BYTES`` (default 4 MB; Rasa posts the whole
  conversation with every call): 413 beyond it.
* ``POST /webhook`` must be a JSON object with ``next_action`` and ``tracker``: 400 otherwise.
* Unexpected errors: 500 ``{"error": "internal error"}``; the log gets the error class only.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
import zlib
from typing import Any

log = logging.getLogger(__name__)

SECRET_ENV = "OIH_ACTIONS_SECRET"
SECRET_HEADER = "X-OIH-Actions-Secret"
MAX_DECOMPRESSED_ENV = "OIH_ACTIONS_MAX_DECOMPRESSED_BYTES"
DEFAULT_MAX_DECOMPRESSED = 16 * 1024 * 1024
MAX_REQUEST_ENV = "OIH_ACTIONS_MAX_REQUEST_BYTES"
DEFAULT_MAX_REQUEST = 4 * 1024 * 1024
MIN_SECRET_CHARS = 32
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class GuardError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


def check_startup(env: dict[str, str]) -> str:
    """The secret to require ("" = none); raises when the server would be reachable unguarded."""
    secret = (env.get(SECRET_ENV) or "").strip()
    host = env.get("SANIC_HOST") or "0.0.0.0"  # rasa-sdk's own default
    if secret and len(secret) < MIN_SECRET_CHARS:
        raise RuntimeError(f"{SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters")
    if host not in LOOPBACK and not secret:
        raise RuntimeError(
            f"the action server would listen on {host} with no authentication: set {SECRET_ENV} "
            f"(at least {MIN_SECRET_CHARS} characters; Rasa sends it, endpoints.yml) or SANIC_HOST=127.0.0.1"
        )
    return secret


def inflate(body: bytes, limit: int) -> bytes:
    """zlib-inflate at most ``limit`` bytes; GuardError 413 beyond, 400 when broken."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error:
        raise GuardError(400, "invalid deflate body") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise GuardError(413, "decompressed body too large")
    return out


def check_request(method: str, path: str, headers: Any, body: bytes, secret: str, limit: int) -> None:
    """Raise GuardError for a request the action server must not process."""
    if path.rstrip("/") == "/health" and method in ("GET", "HEAD"):
        return
    if secret:
        given = headers.get(SECRET_HEADER) or ""
        if not hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode("utf-8")):
            raise GuardError(403, "forbidden")
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding == "deflate":
        body = inflate(body, limit)
    elif encoding != "identity":
        raise GuardError(415, "unsupported content encoding")
    if method == "POST" and path.rstrip("/") == "/webhook":
        try:
            call = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise GuardError(400, "the body must be a JSON object") from None
        if not isinstance(call, dict) or not isinstance(call.get("next_action"), str) \
                or not isinstance(call.get("tracker"), dict):
            raise GuardError(400, "the body must be a JSON object with next_action and tracker")


def install(app: Any, env: dict[str, str] | None = None) -> None:
    from sanic import response

    env = dict(os.environ if env is None else env)
    secret = check_startup(env)
    limit = int(env.get(MAX_DECOMPRESSED_ENV) or DEFAULT_MAX_DECOMPRESSED)
    # Set here: rasa-sdk's Sanic app does not pick up SANIC_REQUEST_MAX_SIZE (measured: 8 MB passed).
    app.config.REQUEST_MAX_SIZE = int(env.get(MAX_REQUEST_ENV) or DEFAULT_MAX_REQUEST)

    max_request = app.config.REQUEST_MAX_SIZE

    @app.middleware("request")
    async def guard(request: Any) -> Any:
        # rasa-sdk's routes are wrapped by sanic_cors in a way Sanic takes for streaming handlers,
        # which lifts the body size limit and reads the body later (measured: 5 MB passed a 1 kB
        # SANIC_REQUEST_MAX_SIZE). Put the limit back, and refuse a declared size over it at once.
        stream = getattr(request, "stream", None)
        if stream is not None and getattr(stream, "request_max_size", 0) > max_request:
            stream.request_max_size = max_request
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_request):
            return response.json({"error": "request too large"}, status=413)
        if not request.body and stream is not None and getattr(stream, "request_body", None):
            try:
                await request.receive_body()
            except Exception:  # noqa: BLE001 - PayloadTooLarge (chunked) or a broken body
                return response.json({"error": "request too large or broken"}, status=413)
        try:
            check_request(request.method, request.path, request.headers, request.body or b"", secret, limit)
        except GuardError as exc:
            if exc.status == 403:
                log.warning("action server: request without the right secret refused")
            return response.json({"error": exc.error}, status=exc.status)
        return None

    async def internal_error(request: Any, exception: Exception) -> Any:
        from sanic.exceptions import SanicException

        if isinstance(exception, SanicException):  # 404, 405, 413 ...: Sanic's status, no body echo
            status = getattr(exception, "status_code", 500) or 500
            return response.json({"error": str(exception.__class__.__name__)}, status=status)
        log.error("action server: %s while handling a request", type(exception).__name__)
        return response.json({"error": "internal error"}, status=500)

    app.error_handler.add(Exception, internal_error)
    log.info("action server guard installed (secret %s)", "required" if secret else "not required")
