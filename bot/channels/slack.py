"""Rasa's Slack connector with its signing-secret check enforced as 403, and Block Kit buttons.

Rasa's ``SlackInput`` already verifies ``X-Slack-Signature`` (HMAC-SHA256 of
``v0:<timestamp>:<body>`` with the signing secret) and refuses timestamps more than five minutes
from the server's clock (replays); it refuses to start without a signing secret. It answers a
failed check with 400, though. This subclass

* runs the same check in a middleware before any of the connector's routes and answers 403
  (the request is not processed, and nothing is sent to Slack),
* answers Slack's URL-verification handshake with ``{"challenge": ...}`` as Slack documents it
  (Rasa returns the bare JSON string),
* sends buttons as Block Kit (a ``section`` and an ``actions`` block, as Rasa does) with titles cut
  to Slack's 75-character limit, and without the legacy ``as_user`` flag, which Slack refuses
  for apps with granular bot tokens,
* talks to ``api_url`` (credentials) or ``$SLACK_API_URL`` instead of https://slack.com/api/ when
  set (the tests point it at a stub server).

Credentials (``credentials.channels.yml``; all from environment variables): ``slack_token``
(xoxb-...), ``slack_signing_secret``, and optionally ``api_url``.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable

from rasa.core.channels import slack as rasa_slack
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.replay import RecentIds
from bot.input_limits import limited
from bot.senders import namespaced, platform_id

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
BUTTON_TITLE_MAX = 75
SECTION_TEXT_MAX = 3000
MAX_BUTTONS = 5


def api_base(api_url: str | None) -> str:
    url = (api_url or os.environ.get("SLACK_API_URL") or DEFAULT_API_URL).strip()
    return url if url.endswith("/") else url + "/"


class SlackBot(rasa_slack.SlackBot):
    """Rasa's Slack output channel pointed at a configurable API base URL."""

    def __init__(self, token: str, slack_channel: str | None = None, thread_id: str | None = None,
                 proxy: str | None = None, api_url: str | None = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_base(api_url), proxy=proxy)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Address the Slack user or channel, not the conversation id (``slack:<id>``, bot/senders.py)."""
        await super().send_response(platform_id(recipient_id), message)

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)  # legacy flag; new Slack apps answer "invalid_arguments"
        await super()._post_message(channel, **kwargs)

    async def send_text_with_buttons(  # type: ignore[override]
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        recipient = self.slack_channel or recipient_id
        if len(buttons) > MAX_BUTTONS:
            buttons = buttons[:MAX_BUTTONS]  # Slack drops the whole block otherwise
        blocks = [
            {"type": "section", "text": {"type": "plain_text", "text": text[:SECTION_TEXT_MAX] or " "}},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": str(b.get("title", ""))[:BUTTON_TITLE_MAX]},
                        "value": str(b.get("payload", "")),
                        "action_id": f"oih_button_{i}",
                    }
                    for i, b in enumerate(buttons)
                ],
            },
        ]
        await self._post_message(channel=recipient, text=text, blocks=blocks)


#: Rasa accepts timestamps up to five minutes in the future too; Slack's clock is not ahead of ours
#: by more than a few seconds, so a request from further ahead is a prepared replay.
MAX_FUTURE_SKEW_SECONDS = 30


def from_the_future(request: Request) -> bool:
    import time

    try:
        return int(request.headers.get("X-Slack-Request-Timestamp", "0")) > time.time() + MAX_FUTURE_SKEW_SECONDS
    except ValueError:
        return True


class SlackInput(rasa_slack.SlackInput):
    """Rasa's Slack input channel: 403 for unsigned, wrongly signed or stale requests."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("api_url")
        return channel

    api_url: str | None = None
    _recent: RecentIds

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recent = RecentIds(ttl=600.0)  # signatures and event ids already handled

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        channel = channel or self.slack_channel
        return SlackBot(self.slack_token, channel, thread_id, self.proxy, api_url=self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Conversations are stored as slack:<id> (bot/senders.py): no other channel can post into them.
        blueprint = super().blueprint(namespaced(limited(on_new_message), self.name()))

        @blueprint.middleware("request")
        async def require_signature(request: Request) -> Any:
            if not request.path.rstrip("/").endswith("/webhook"):
                return None  # the health route "/" stays open
            if not self.is_request_from_slack_authentic(request) or from_the_future(request):
                logger.warning("Slack request with a missing, wrong or stale signature refused.")
                return response.text("Forbidden: not signed by Slack, or too old.", status=403)
            body: Any = {}
            if request.headers.get("content-type", "").startswith("application/json"):
                try:
                    body = request.json or {}
                except Exception:  # noqa: BLE001 - malformed JSON: let the connector decide
                    return None
                if isinstance(body, dict) and body.get("type") == "url_verification":
                    return response.json({"challenge": body.get("challenge", "")})
            # Duplicates (security review L2): Slack's own retries, the same event id again, or the
            # same signed request replayed within the five minutes Rasa's check allows.
            event_id = body.get("event_id") if isinstance(body, dict) else None
            keys = [f"sig:{request.headers.get('X-Slack-Signature', '')}"] + ([f"event:{event_id}"] if event_id else [])
            duplicate = [self._recent.seen_before(key) for key in keys]
            if request.headers.get("X-Slack-Retry-Num") or any(duplicate):
                logger.info("Slack: duplicate delivery dropped")
                return response.text("", status=200, headers={"X-Slack-No-Retry": "1"})
            return None

        return blueprint
