"""Rasa's REST channel with the request checked before Rasa sees it.

Registered in ``credentials.yml`` (``bot.channels.rest.RestInput:`` instead of ``rest:``); the
URL is unchanged: ``POST /webhooks/rest/webhook`` with ``{"sender": ID, "message": TEXT}``.

Why (measured against Rasa 3.6.21's own ``rest`` channel with this bot, issue 7):
- an empty body, or JSON that is not an object (``[]``, ``"hi"``, ``3``, ``null``), got ``500``;
  invalid JSON and invalid UTF-8 got Sanic's ``400`` HTML page;
- a missing or non-text ``message`` (``null``, ``12``, ``{}``) and a message with a lone UTF-16
  surrogate (``"\ud800"``) got ``200 []``: silence, with the message text written to the error
  log (structlog ``rest.message.received.failure``; it can hold a phone number or an e-mail);
- a missing ``sender`` was answered as sender ``"default"``: every such client shared ONE
  conversation; a ``sender`` object was turned into the text ``"{}"``;
- a 100 kB message was processed in full (1.4 s of CPU for one request);
- PostgreSQL cannot store a NUL character: with the production profile such a message made the
  tracker store fail (Rasa then silently keeps the conversation in memory on that instance only).

What this channel does instead:
- malformed requests get ``400`` (``413`` when the message is too long) with a JSON body
  ``{"error": CODE, "detail": TEXT}`` that says what is wrong;
- control characters become spaces and lone surrogates become U+FFFD before Rasa sees the text;
- if handling a message fails anyway, the patient gets the clinic-contact reply of
  ``bot.resilience`` (not silence), and the log gets the error class, never the text.
The optional ``metadata`` (an object) and ``input_channel`` (text) fields keep their meaning;
``?stream=true`` is supported as in Rasa's channel.

Who may use it (security review H1): REST is for tests and scripts, and the client chooses the
sender id, so the conversation is stored as ``rest:<sender>`` (bot/senders.py) and can never be a
Telegram, Slack or web chat conversation. With ``OIH_REST_TOKEN`` set (at least 32 characters) every
request needs ``Authorization: Bearer <token>``. Without it the channel is in *development* mode:
it answers only requests made directly from this machine (peer address 127.0.0.1 or ::1, and no
``Forwarded``/``X-Forwarded-For``/``X-Real-IP`` header, i.e. not relayed by a proxy); anything else
gets 401. That is the default ``make run`` profile: curl on the same machine works, nobody else
reaches REST.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
import re
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Optional

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import input_limits, rasa_seams
from bot.senders import namespaced, platform_id

logger = logging.getLogger(__name__)

#: Longer messages get 413 with the kind "too long" text (bot/input_limits.py): 1,000 characters by
#: default, what the web chat lets a patient type (the review's 5,000 allowed a 6.7 s stall).
MAX_MESSAGE_CHARS = int(os.environ.get("OIH_REST_MAX_MESSAGE_CHARS") or input_limits.MAX_MESSAGE_CHARS)
TOKEN_ENV = "OIH_REST_TOKEN"
MIN_TOKEN_CHARS = 32
LOOPBACK_IPS = ("127.0.0.1", "::1", "::ffff:127.0.0.1")
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")
MAX_SENDER_CHARS = 128
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SENDER_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BadRequest(Exception):
    def __init__(self, code: str, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.code, self.detail, self.status = code, detail, status


def _clean_text(text: str) -> str:
    """Control characters -> spaces; lone surrogates -> U+FFFD (both break storage and logs)."""
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return _CONTROL.sub(" ", text)


def parse_body(raw: bytes) -> dict[str, Any]:
    """Validate a webhook body; return ``sender``, ``message``, ``metadata``, ``input_channel``."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("invalid_encoding", "the request body must be UTF-8 encoded JSON") from None
    except (ValueError, RecursionError):  # RecursionError: thousands of nested brackets
        raise BadRequest("invalid_json", 'the request body must be JSON: {"sender": ID, "message": TEXT}') from None
    if not isinstance(body, dict):
        raise BadRequest("invalid_body", 'the request body must be a JSON object: {"sender": ID, "message": TEXT}')
    sender, message = body.get("sender"), body.get("message")
    if sender is None:
        raise BadRequest("missing_sender", "'sender' is required: a text that identifies the conversation")
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        raise BadRequest("invalid_sender", "'sender' must be text")
    sender = str(sender)
    if not sender.strip() or len(sender) > MAX_SENDER_CHARS or _SENDER_BAD.search(sender):
        raise BadRequest(
            "invalid_sender", f"'sender' must be 1-{MAX_SENDER_CHARS} characters without control characters"
        )
    try:
        sender.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("invalid_sender", "'sender' must be valid Unicode text") from None
    if message is None:
        raise BadRequest("missing_message", "'message' is required: the text the person typed")
    if not isinstance(message, str):
        raise BadRequest("invalid_message", "'message' must be text")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest("message_too_long", input_limits.too_long_text(MAX_MESSAGE_CHARS), 413)
    message = input_limits.collapse_runs(_clean_text(message)).strip()
    if not message:
        raise BadRequest("empty_message", "'message' is empty")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("invalid_metadata", "'metadata' must be a JSON object")
    input_channel = body.get("input_channel")
    if input_channel is not None and (not isinstance(input_channel, str) or len(input_channel) > 64):
        raise BadRequest("invalid_input_channel", "'input_channel' must be text of at most 64 characters")
    return {"sender": sender, "message": message, "metadata": metadata, "input_channel": input_channel}


def rest_token() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token and len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"{TOKEN_ENV} must be at least {MIN_TOKEN_CHARS} characters")
    return token


def authorised(request: Request, token: str) -> bool:
    """With a token: the right bearer token. Without: a direct request from this machine only."""
    if token:
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        return bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))
    return request.ip in LOOPBACK_IPS and not any(h in request.headers for h in PROXY_HEADERS)


def _error(exc: BadRequest) -> HTTPResponse:
    return response.json({"error": exc.code, "detail": exc.detail}, status=exc.status)


class RestInput(RasaRestInput):
    """``rest`` channel (same name and URL as Rasa's) with validation and no text in logs."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("oih_rest_webhook", __name__)
        token = rest_token()  # a too-short token stops the server at start-up
        on_new_message = namespaced(on_new_message, self.name())

        @webhook.listener("after_server_start")
        async def freeze_startup_objects(app: Any, loop: Any) -> None:
            rasa_seams.freeze_startup_objects()

        @webhook.listener("before_server_start")
        async def json_413(app: Any, loop: Any) -> None:
            # Bodies over SANIC_REQUEST_MAX_SIZE (bot/servers.py) are refused before any route runs;
            # say so in the same JSON shape as every other refusal.
            from sanic.exceptions import PayloadTooLarge

            async def too_large(request: Request, exception: Exception) -> HTTPResponse:
                return response.json(
                    {"error": "request_too_large", "detail": "the request body is larger than this server accepts"},
                    status=413,
                )

            app.error_handler.add(PayloadTooLarge, too_large)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            if not authorised(request, token):
                return response.json(
                    {"error": "unauthorized", "detail": f"send 'Authorization: Bearer <{TOKEN_ENV}>'"},
                    status=401, headers={"WWW-Authenticate": 'Bearer realm="rest"'},
                )
            try:
                fields = parse_body(request.body or b"")
            except BadRequest as exc:
                return _error(exc)
            sender, text = fields["sender"], fields["message"]
            input_channel = fields["input_channel"] or self.name()
            metadata: Optional[dict[str, Any]] = fields["metadata"]
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender, input_channel, metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=input_channel, metadata=metadata)
                )
            except CancelledError:
                logger.error("rest: handling a message timed out")
                return response.json(_as_sent(collector.messages) or _fallback(sender), status=200)
            except Exception as exc:  # noqa: BLE001 - the person gets the clinic contact, the log the class
                logger.error("rest: handling a message failed (%s)", type(exc).__name__)
                return response.json(_as_sent(collector.messages) + _fallback(sender), status=200)
            return response.json(_as_sent(collector.messages))

        return webhook


def _as_sent(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The replies addressed to the sender id the client sent (without the ``rest:`` namespace)."""
    return [{**m, "recipient_id": platform_id(m.get("recipient_id", ""))} for m in messages]


def _fallback(sender: str) -> list[dict[str, Any]]:
    from bot.resilience import unavailable_text

    return [{"recipient_id": sender, "text": unavailable_text()}]
