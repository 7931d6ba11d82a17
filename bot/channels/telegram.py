"""Rasa's Telegram connector, made safe: the webhook secret token is set and checked.

Rasa's ``TelegramInput`` accepts any POST to ``/webhooks/telegram/webhook`` (it only compares the
bot's own user name, which is public). Telegram can send a secret with every update, in the
``X-Telegram-Bot-Api-Secret-Token`` header, if the webhook was registered with ``secret_token``.
This subclass

* registers the webhook with that secret at start-up (aiogram 2.15's ``Bot.set_webhook`` has no
  ``secret_token`` parameter, so the Bot API method ``setWebhook`` is called directly through
  aiogram's ``Bot.request``),
* answers 403 to every request to ``/webhook`` and ``/set_webhook`` without the right header,
* sends buttons as an inline keyboard with one button per row (Rasa's default puts all buttons in
  one row, which cuts our question-length titles on a phone), and acknowledges button presses
  (``answerCallbackQuery``) so the Telegram app stops showing a spinner,
* talks to ``api_url`` (credentials) or ``$TELEGRAM_API_URL`` instead of https://api.telegram.org
  when set: a local Bot API server, or the stub server of the tests.

Credentials (``credentials.channels.yml``; all from environment variables):
``access_token``, ``verify`` (the bot's user name), ``webhook_url``, ``secret_token``, and
optionally ``api_url``.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
from typing import Any, Awaitable, Callable

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels import telegram as rasa_telegram
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.replay import RecentIds
from bot.input_limits import limited
from bot.senders import namespaced, platform_id

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -.
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CALLBACK_DATA_MAX_BYTES = 64  # Telegram refuses longer callback_data
PROTECTED_PATHS = ("/webhook", "/set_webhook")


def api_server(api_url: str | None) -> TelegramAPIServer:
    url = (api_url or os.environ.get("TELEGRAM_API_URL") or "").strip()
    return TelegramAPIServer.from_base(url) if url else TELEGRAM_PRODUCTION


def callback_data(button: dict[str, Any]) -> str:
    """The payload, compacted if needed to fit Telegram's 64-byte limit; else the title."""
    payload = str(button.get("payload") or button.get("title") or "")
    if len(payload.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES:
        return payload
    name, brace, rest = payload.partition("{")
    if brace:
        try:
            compact = name + json.dumps(json.loads(brace + rest), separators=(",", ":"))
            if len(compact.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES:
                return compact
        except ValueError:
            pass
    logger.warning("Button payload too long for Telegram; sending its title instead: %r", payload)
    return str(button.get("title", ""))[:CALLBACK_DATA_MAX_BYTES]


class TelegramOutput(rasa_telegram.TelegramOutput):
    """Rasa's output channel with a configurable API server, the secret and vertical buttons."""

    def __init__(self, access_token: str | None, server: TelegramAPIServer = TELEGRAM_PRODUCTION,
                 secret_token: str | None = None) -> None:
        # rasa's TelegramOutput.__init__ takes only the token; aiogram's Bot takes the server.
        super(rasa_telegram.TelegramOutput, self).__init__(access_token, server=server)
        self.secret_token = secret_token

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Address the Telegram chat, not the conversation id (``telegram:<chat id>``, bot/senders.py)."""
        await super().send_response(platform_id(recipient_id), message)

    async def set_webhook(self, url: str, **kwargs: Any) -> bool:  # type: ignore[override]
        """setWebhook with our secret_token (aiogram 2.15 cannot pass it)."""
        payload: dict[str, Any] = {"url": url}
        if self.secret_token:
            payload["secret_token"] = self.secret_token
        payload.update({k: v for k, v in kwargs.items() if v is not None})
        return bool(await self.request("setWebhook", payload))

    async def send_text_with_buttons(  # type: ignore[override]
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
        button_type: str | None = "vertical", **kwargs: Any,
    ) -> None:
        if button_type not in ("inline", "vertical"):
            return await super().send_text_with_buttons(recipient_id, text, buttons, button_type, **kwargs)
        markup = InlineKeyboardMarkup()
        keys = [InlineKeyboardButton(str(b.get("title", "")), callback_data=callback_data(b)) for b in buttons]
        if button_type == "inline":
            markup.row(*keys)
        else:
            for key in keys:
                markup.row(key)
        await self.send_message(recipient_id, text, reply_markup=markup)


class TelegramInput(rasa_telegram.TelegramInput):
    """Rasa's Telegram input channel with the webhook secret token (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_url=credentials.get("api_url"),
        )

    def __init__(self, access_token: str | None, verify: str | None, webhook_url: str | None,
                 debug_mode: bool = True, secret_token: str | None = None,
                 api_url: str | None = None) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        secret_token = (secret_token or "").strip()
        if not SECRET_RE.match(secret_token):
            raise RasaException(
                "Telegram needs `secret_token` (env TELEGRAM_SECRET_TOKEN): 1-256 characters of "
                "A-Z, a-z, 0-9, _ and -. Without it anyone could post fake updates to the webhook."
            )
        self.secret_token = secret_token
        self.server = api_server(api_url)
        self._tasks: set[asyncio.Task] = set()
        self._webhook_registered = False
        self._recent = RecentIds()  # update_ids already handled (bot/channels/replay.py)

    def _new_output(self) -> TelegramOutput:
        return TelegramOutput(self.access_token, server=self.server, secret_token=self.secret_token)

    def get_output_channel(self) -> TelegramOutput:
        """The output channel, after registering the webhook with the secret.

        Rasa's version registers the webhook with ``asyncio.run`` on the same ``Bot`` it then uses
        for every reply, which ties the bot's HTTP session to a loop that is already closed.
        Registration uses a throw-away ``Bot`` here, closed before its loop ends, and happens once:
        Rasa's server also asks for an output channel later (``?output_channel=latest``), from
        inside the running loop, where ``asyncio.run`` is not allowed.
        """
        if self.webhook_url and not self._webhook_registered:
            async def register() -> bool:
                bot = self._new_output()
                try:
                    return await bot.set_webhook(self.webhook_url)
                finally:
                    await bot.session.close()

            try:
                if not asyncio.run(register()):
                    raise RasaException("Telegram refused the webhook (setWebhook returned false).")
            except TelegramAPIError as error:
                raise RasaException("Failed to set channel webhook: " + str(error)) from error
            self._webhook_registered = True
        return self._new_output()

    def secret_ok(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return bool(given) and hmac.compare_digest(given.encode("utf-8"), self.secret_token.encode("utf-8"))

    @staticmethod
    def _update_id(request: Request) -> str | None:
        try:
            body = request.json
        except Exception:  # noqa: BLE001 - a malformed body is the parent handler's business
            return None
        update_id = body.get("update_id") if isinstance(body, dict) else None
        return str(update_id) if isinstance(update_id, int) else None

    def _acknowledge_button(self, out_channel: TelegramOutput, request: Request) -> None:
        """answerCallbackQuery in the background: the Telegram app stops its spinner."""
        try:
            query = (request.json or {}).get("callback_query") or {}
        except Exception:  # noqa: BLE001 - a malformed body is the parent handler's business
            return
        if not query.get("id"):
            return

        async def ack() -> None:
            try:
                await out_channel.answer_callback_query(query["id"])
            except Exception as exc:  # noqa: BLE001 - cosmetic, never block the answer
                logger.debug("answerCallbackQuery failed: %s", exc)

        task = asyncio.get_running_loop().create_task(ack())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Conversations are stored as telegram:<chat id> (bot/senders.py): no other channel can
        # post into them.
        blueprint = super().blueprint(namespaced(limited(on_new_message), self.name()))
        # The parent made the output channel inside super().blueprint; make one we can reach for
        # acknowledging button presses (no webhook registration: that happened already).
        ack_channel = self._new_output()

        @blueprint.middleware("request")
        async def require_secret(request: Request) -> Any:
            if not request.path.rstrip("/").endswith(PROTECTED_PATHS):
                return None  # the health route "/" stays open
            if not self.secret_ok(request):
                logger.warning("Telegram request without the right secret token refused (%s).", request.path)
                return response.text("Forbidden", status=403)
            if request.method == "POST" and request.path.rstrip("/").endswith("/webhook"):
                update_id = self._update_id(request)
                if update_id is not None and self._recent.seen_before(update_id):
                    logger.info("Telegram: duplicate update dropped")
                    return response.text("success")  # 200: Telegram must not deliver it again
                self._acknowledge_button(ack_channel, request)
            return None

        return blueprint
