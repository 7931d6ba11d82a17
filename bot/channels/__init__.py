"""Custom Rasa input channels, registered by class path in ``credentials*.yml``.

  webchat.WebChatInput    the accessible web chat: widget files, demo clinic page, its REST endpoint
  staff.StaffInput        /staff: the FAQ search and unanswered-questions report for clinic staff
  telegram.TelegramInput  Rasa's Telegram connector + the webhook secret token (403 without it)
  slack.SlackInput        Rasa's Slack connector: 403 for unsigned or stale requests, Block Kit buttons

Both HTTP-facing pages (web chat and staff) are mounted at the server root rather than under
``/webhooks/<name>/``: the issue asks for ``/`` and ``/staff``, and one short, stable URL for the
widget script (``/webchat/widget.js``) is what clinics paste into their sites.
"""
