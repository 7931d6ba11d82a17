"""The web chat channel: serves the widget from ``web/`` and answers it over REST.

Registered in ``credentials.yml`` as ``bot.channels.webchat.WebChatInput:``. Routes (at the
server root, see ``url_prefix``):

  GET  /                       the demo clinic page (replaces Rasa's "Hello from Rasa" text)
  GET  /webchat/               the same demo page (always available)
  GET  /webchat/widget.js      the embeddable script: one <script> tag on a clinic's site
  GET  /webchat/widget.css     its stylesheet (loaded by the script into its shadow root)
  GET  /webchat/config.json    the emergency number from knowledge/clinic.yml, for the widget
  GET  /webchat/health         {"status": "ok"}
  POST /webchat/session        {"sender": ID}: a new conversation id, issued and signed by the server
  POST /webchat/webhook        {"sender": ID, "message": TEXT} -> the bot's messages (JSON list)
  POST /webchat/forget         {"sender": ID}: delete that conversation now (the widget's "Quick
                               exit" and "New chat"; the same deletion as "forget me")

The sender must be an id from /webchat/session (``wc-<random>-<signature>``, bot/senders.py);
any other gets 403, so a browser cannot pick someone else's conversation (security review H1).
The conversation is stored as ``webchat:<id>``.

Why a channel of our own rather than Rasa's ``rest`` channel for the widget: the tracker records
``input_channel: webchat``; the sender id and the message length are checked; and a browser can
set neither the ``input_channel`` nor free ``metadata`` (the ``rest`` channel trusts both).

Crisis replies are marked by the server, never recognised by their wording in the browser: each
message uttered by a response whose name starts with ``utter_crisis`` (or carrying a
``custom: {"emergency": true}`` payload) gets an ``emergency`` field (``kind``, ``alarm``, and the
numbers of knowledge/clinic.yml, also in config.json), from which the widget scrolls the reply to
its start and raises its emergency banner. See ``crisis_marker`` and ``WebChatOutput``. The
marker also says the reply's language (``lang``: the Spanish crisis responses are named
``utter_crisis_es_<kind>``), and the numbers then carry Spanish labels, so that the banner
matches the reply.

``/webchat/forget`` is authenticated by the signed id alone, like the webhook: holding the id is
what makes a conversation yours (it is never shown, and the widget keeps it in a closure and its
own storage entry). A forged or altered id gets 403 and deletes nothing.
"""
from __future__ import annotations

import logging
import os
from asyncio import CancelledError
from pathlib import Path
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import input_limits, privacy
from bot.channels.rest import _clean_text
from bot.knowledge import Clinic, Emergency, cached_clinic
from bot.paths import KNOWLEDGE_DIR, ROOT
from bot.rasa_seams import replace_root_route
from bot.senders import conversation_id, issue_webchat_id, valid_webchat_id

logger = logging.getLogger(__name__)

WEB_DIR = ROOT / "web"
STATIC_FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}
MAX_MESSAGE_CHARS = input_limits.MAX_MESSAGE_CHARS  # the widget's maxlength too
# Keys of a bot message the widget can render; anything else stays on the server.
REPLY_KEYS = ("text", "buttons", "image")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
#: Sites (scheme://host[:port], comma- or space-separated) whose pages may call the web chat's
#: endpoints from the browser. Unset: none besides the bot's own origin (the demo page). CORS is
#: answered on the web chat's routes only (never the API or /staff) and never with credentials.
ORIGINS_ENV = "OIH_ALLOWED_ORIGINS"
CORS_METHODS = {
    "/webchat/webhook": "POST", "/webchat/session": "POST", "/webchat/forget": "POST",
    "/webchat/config.json": "GET",
}
SESSION_ERROR = "unknown conversation: ask POST /webchat/session for an id"


def allowed_origins() -> frozenset[str]:
    raw = os.environ.get(ORIGINS_ENV, "")
    return frozenset(o.strip().rstrip("/").lower() for o in raw.replace(",", " ").split() if o.strip())


def cors_headers(request: Request, path: str) -> dict[str, str]:
    """CORS headers for an allowed Origin on a web chat route; {} otherwise (the browser blocks)."""
    origin = (request.headers.get("origin") or "").strip()
    if path not in CORS_METHODS or not origin or origin.rstrip("/").lower() not in allowed_origins():
        return {"Vary": "Origin"} if path in CORS_METHODS else {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def _file_response(path: Path, content_type: str) -> HTTPResponse:
    """A file from web/, re-read on each request so content edits need no restart."""
    return response.raw(
        path.read_bytes(),
        content_type=content_type,
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


def demo_page() -> HTTPResponse:
    return _file_response(WEB_DIR / "index.html", "text/html; charset=utf-8")


def clinic_config(knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, Any]:
    """What the widget shows in its header (the clinic's name, the emergency number) and banner."""
    clinic = _clinic(knowledge_dir)
    return {
        "clinic_name": clinic.name,
        "emergency_number": clinic.emergency.number or "911",
        "emergency_contacts": emergency_contacts(knowledge_dir),
    }


def preflight(request: Request) -> HTTPResponse:
    """The answer to a CORS preflight: 204 with the headers for an allowed origin, else 403."""
    headers = cors_headers(request, request.path)
    if "Access-Control-Allow-Origin" not in headers:
        return response.empty(status=403, headers=headers)
    return response.empty(status=204, headers={
        **headers, "Access-Control-Allow-Methods": CORS_METHODS[request.path],
        "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600",
    })


def bot_replies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only what the widget renders: text, buttons (title + payload) and image URLs."""
    replies = []
    for message in messages:
        reply = {k: message[k] for k in REPLY_KEYS if message.get(k)}
        if "buttons" in reply:
            reply["buttons"] = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in reply["buttons"]
                if isinstance(b, dict)
            ]
        if reply:
            replies.append(reply)
    return replies


# --- crisis replies ------------------------------------------------------------------------------

# Every crisis response is named utter_crisis or utter_crisis_<kind> (domain.yml); the marker
# rests on that naming convention, so new crisis kinds need no change here.
CRISIS_RESPONSE_PREFIX = "utter_crisis"
# Kinds that are crisis replies but must not raise the alarm: harm in the past with no sign of
# danger now gets a kind answer with 988 offered, not an emergency banner.
NO_ALARM_KINDS = ("past_harm",)
def _clinic(knowledge_dir: Path) -> Clinic:
    """The clinic model; its defaults (US numbers) when clinic.yml cannot be read, so the page
    always has a banner with numbers."""
    try:
        return cached_clinic(knowledge_dir)
    except (OSError, ValueError):  # KnowledgeError is a ValueError
        return Clinic()


#: The banner's labels in Spanish (what the Spanish crisis replies call these lines).
SPANISH_LABELS = {"emergency": "Emergencias", "poison_control": "Control de Envenenamientos"}
SPANISH_988_NAME = "Línea de Prevención del Suicidio y Crisis"
LANGUAGES = ("en", "es")


def _crisis_line_label(emergency: Emergency, lang: str) -> str:
    """The crisis line's name: from ``crisis_line_text`` ("... (Suicide & Crisis Lifeline)") in
    English; in Spanish the 988 Lifeline's Spanish name (when the line is 988) and, when clinic.yml
    gives one, the option to press for Spanish."""
    if lang != "es":
        return emergency.crisis_line_text.partition("(")[2].partition(")")[0].strip()[:60] or "Crisis line"
    name = SPANISH_988_NAME if emergency.crisis_line == "988" else "Línea de crisis"
    option = emergency.crisis_line_spanish_option.strip()
    return f"{name} (marque {option[:4]} para español)" if option else name


def emergency_contacts(knowledge_dir: Path = KNOWLEDGE_DIR, lang: str = "en") -> list[dict[str, Any]]:
    """The numbers of the widget's emergency banner, in order: emergency, crisis line, poison.

    ``sms`` is true when the crisis line also takes text messages: ``crisis_line_sms`` in
    clinic.yml says so explicitly; without it, a crisis-line text that mentions texting ("call or
    text 988") does. ``lang`` ("en" or "es") is the language of the labels.
    """
    emergency = _clinic(knowledge_dir).emergency
    spanish = lang == "es"
    contacts = [
        {"id": "emergency", "label": SPANISH_LABELS["emergency"] if spanish else "Emergency",
         "number": emergency.number or "911", "sms": False},
        {"id": "crisis_line", "label": _crisis_line_label(emergency, lang),
         "number": emergency.crisis_line, "sms": emergency.crisis_line_takes_texts},
        {"id": "poison_control", "label": SPANISH_LABELS["poison_control"] if spanish else "Poison Control",
         "number": emergency.poison_control, "sms": False},
    ]
    return [c for c in contacts if any(ch.isdigit() for ch in c["number"])]


def crisis_marker(message: dict[str, Any]) -> dict[str, Any] | None:
    """``{"kind", "alarm", "lang"}`` when a bot message is part of a crisis reply, else None.

    Two explicit signs, never the wording: the name of the domain response that produced the
    message (``utter_crisis`` or ``utter_crisis_<kind>``, e.g. ``utter_crisis_overdose``; Rasa
    passes it to the output channel as ``utter_action``), or a ``custom`` payload with
    ``"emergency": true`` (optionally ``"kind"``, ``"alarm"`` and ``"lang"``). Past harm (a kind
    containing ``past_harm``) is a crisis reply without alarm: no banner. The Spanish responses
    are named ``utter_crisis_es_<kind>`` (bot/components/safety_policy.py): ``lang`` is then
    "es" and the kind is the same as the English one.
    """
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("emergency"):
        kind = str(custom.get("kind") or "emergency")
        alarm = custom.get("alarm")
        if not isinstance(alarm, bool):
            alarm = not any(k in kind for k in NO_ALARM_KINDS)
        lang = custom.get("lang") if custom.get("lang") in LANGUAGES else "en"
        return {"kind": kind, "alarm": alarm, "lang": lang}
    name = message.get("utter_action")
    if isinstance(name, str) and name.startswith(CRISIS_RESPONSE_PREFIX):
        kind = name[len(CRISIS_RESPONSE_PREFIX):].lstrip("_") or "emergency"
        lang = "en"
        if kind.startswith("es_") or kind == "es":
            lang, kind = "es", kind[3:] or "emergency"
        return {"kind": kind, "alarm": not any(k in kind for k in NO_ALARM_KINDS), "lang": lang}
    return None


class WebChatOutput(CollectingOutputChannel):
    """Collects the bot's messages and keeps, on each, what marks it as a crisis reply.

    Rasa hands ``send_response`` the whole bot message, including ``utter_action`` (the response
    name) and ``custom``, but ``CollectingOutputChannel`` keeps only the text, buttons and image of
    each part. The marker fields are copied onto every message collected for that response (a
    text with blank lines becomes several messages; a custom payload becomes its own message).
    """

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        start = len(self.messages)
        marker = {k: message[k] for k in ("utter_action", "custom") if message.get(k) is not None}
        await super().send_response(recipient_id, dict(message))
        for collected in self.messages[start:]:
            for key, value in marker.items():
                collected.setdefault(key, value)


def keep_crisis_markers(
    on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> Callable[[UserMessage], Awaitable[Any]]:
    """``on_new_message`` with the bot's messages collected by a ``WebChatOutput``.

    The webhook handler collects the reply in a plain ``CollectingOutputChannel`` and reads its
    ``messages``; this swaps in a ``WebChatOutput`` that appends to that same list, so the
    handler stays as it is and every message it returns carries its marker fields.
    """

    async def handle(message: UserMessage) -> Any:
        collector = message.output_channel
        if type(collector) is CollectingOutputChannel:  # noqa: E721 - exactly Rasa's, not a subclass
            marking = WebChatOutput()
            marking.messages = collector.messages
            message.output_channel = marking
        return await on_new_message(message)

    return handle


def _contacts_in(lang: str) -> list[dict[str, Any]]:
    return emergency_contacts(lang=lang)


def marked_replies(
    messages: list[dict[str, Any]], contacts: Callable[[str], list[dict[str, Any]]] | None = None
) -> list[dict[str, Any]]:
    """``bot_replies``, and on each message of a crisis reply ``emergency``: its kind, whether to
    raise the alarm, its language, and the numbers labelled in that language (``contacts(lang)``,
    read once per language and reply)."""
    replies: list[dict[str, Any]] = []
    numbers: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        rendered = bot_replies([message])
        marker = crisis_marker(message) if rendered else None
        if marker is not None:
            lang = marker["lang"]
            if lang not in numbers:
                numbers[lang] = (contacts or _contacts_in)(lang)
            rendered[0]["emergency"] = {**marker, "contacts": numbers[lang]}
        replies.extend(rendered)
    return replies


def _json_body(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or None for anything else (bad JSON, a list, no body)."""
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own error type for bad JSON
        return None
    return body if isinstance(body, dict) else None


class WebChatInput(InputChannel):
    """The accessible web chat for clinic sites."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(demo_at_root=bool(credentials.get("demo_at_root", True)))

    def __init__(self, demo_at_root: bool = True) -> None:
        self.demo_at_root = demo_at_root

    def url_prefix(self) -> str:
        # Rasa mounts a channel at urljoin("/webhooks/", url_prefix()); "/" gives the server root,
        # so the widget lives at the short /webchat/widget.js a clinic pastes into its page.
        return "/"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = keep_crisis_markers(on_new_message)
        webchat = Blueprint("oih_webchat", __name__)

        if self.demo_at_root:

            @webchat.listener("before_server_start")
            async def _demo_at_root(app: Sanic, _loop: Any) -> None:
                replace_root_route(app, demo_page)

        @webchat.route("/webchat", methods=["GET"])
        async def page(_: Request) -> HTTPResponse:
            return demo_page()

        @webchat.route("/webchat/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.middleware("response")
        async def cors(request: Request, resp: HTTPResponse) -> None:
            for name in ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"):
                if name in resp.headers:  # whatever Rasa's own CORS set-up added: ours decides
                    del resp.headers[name]
            resp.headers.update(cors_headers(request, request.path))

        @webchat.listener("before_server_start")
        async def _preflight_first(app: Sanic, _loop: Any) -> None:
            # Rasa's CORS extension (sanic_cors) answers every OPTIONS request itself, first in
            # the chain, without our headers; this runs before it, for the web chat's routes only.
            async def webchat_preflight(request: Request) -> HTTPResponse | None:
                if request.method == "OPTIONS" and request.path in CORS_METHODS:
                    return preflight(request)
                return None

            app.request_middleware.appendleft(webchat_preflight)

        @webchat.route("/webchat/config.json", methods=["GET"])
        async def config(_: Request) -> HTTPResponse:
            return response.json(clinic_config(), headers={"Cache-Control": "max-age=300"})

        @webchat.route("/webchat/<filename:str>", methods=["GET"])
        async def static(_: Request, filename: str) -> HTTPResponse:
            if filename in ("", "index.html"):  # /webchat/ (Sanic routes it here) and its index
                return demo_page()
            content_type = STATIC_FILES.get(filename)
            if content_type is None:  # only the listed files: no path ever comes from the URL
                return response.text("Not found", status=404)
            return _file_response(WEB_DIR / filename, content_type)

        @webchat.route("/webchat/session", methods=["POST"])
        async def session(_: Request) -> HTTPResponse:
            return response.json({"sender": issue_webchat_id()}, headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})

        @webchat.route("/webchat/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            """Delete this conversation now: the widget's "Quick exit" and "New chat".

            No confirmation here: the widget asks first ("New chat") or the person chose to
            leave at once ("Quick exit"). Repeating it is harmless (nothing left to delete).
            A message being answered holds the conversation's lock, so it is saved first and
            deleted after. Left open: a message still travelling when this arrives (sent a
            moment before Quick exit) starts a new one-turn conversation under the same id,
            which nobody can read on (the page forgot the id) and the retention purge removes.
            """
            sender = (_json_body(request) or {}).get("sender")
            if not valid_webchat_id(sender):
                return response.json({"error": SESSION_ERROR}, status=403, headers=SECURITY_HEADERS)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None:  # no model loaded yet: nothing can have been stored either
                return response.json({"error": "the assistant is starting"}, status=503)
            try:
                await privacy.forget_conversation(agent, conversation_id(self.name(), sender))
            except Exception:  # noqa: BLE001 - the widget tells the person; the log has the detail
                logger.exception("Could not delete a webchat conversation.")
                return response.json({"error": "could not delete the conversation"}, status=500)
            return response.json({"deleted": True}, headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})

        @webchat.route("/webchat/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = _json_body(request)
            if body is None:
                return response.json({"error": "expected a JSON object"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            if not valid_webchat_id(sender):
                return response.json({"error": SESSION_ERROR}, status=403)
            if not isinstance(text, str) or not text.strip():
                return response.json({"error": "message must be non-empty text"}, status=400)
            if len(text) > MAX_MESSAGE_CHARS:  # not processed, and the patient is told why
                return response.json([{"text": input_limits.too_long_text(MAX_MESSAGE_CHARS)}], headers=SECURITY_HEADERS)
            # Lone surrogates and control characters (review L3); symbol runs (review H3).
            text = input_limits.collapse_runs(_clean_text(text)).strip()
            if not text:
                return response.json({"error": "message must be non-empty text"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, conversation_id(self.name(), sender), input_channel=self.name())
                )
            except CancelledError:
                logger.error("Message handling timed out for webchat message.")
            except Exception:  # noqa: BLE001 - the patient gets an error reply, the log the detail
                logger.exception("An exception occurred while handling a webchat message.")
                return response.json({"error": "the assistant could not answer"}, status=500)
            return response.json(marked_replies(collector.messages), headers=SECURITY_HEADERS)

        return webchat
