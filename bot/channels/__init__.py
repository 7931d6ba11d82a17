"""Custom Rasa input channels, registered by class path in ``credentials*.yml``.

  webchat.WebChatInput    the accessible web chat: widget files, demo clinic page, its REST endpoint
  staff.StaffInput        /staff: the FAQ search and unanswered-questions report for clinic staff
  telegram.TelegramInput  Rasa's Telegram connector + the webhook secret token (403 without it)
  slack.SlackInput        Rasa's Slack connector: 403 for unsigned or stale requests, Block Kit buttons

Both HTTP-facing pages (web chat and staff) are mounted at the server root rather than under
``/webhooks/<name>/``: the issue asks for ``/`` and ``/staff``, and one short, stable URL for the
widget script (``/webchat/widget.js``) is what clinics paste into their sites.
"""

import warnings as _warnings

# Rasa reads a message starting with "/" as an intent payload and, when it does not parse, warns
# with the whole line, i.e. what the person typed ("/ my name is ... call me at ..."), into the
# server log (security review M2). Our channels load before the first message, so the filter is
# in place for every one of them. The message is still handled; only the warning goes.
_warnings.filterwarnings("ignore", message=r"Failed to parse arguments in line")
