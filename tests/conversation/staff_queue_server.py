"""The staff page's routes on their own Sanic server, for tests (started as a subprocess).

The queue reads the referrals database of the session's real servers (``OIH_REFERRALS_DB_URL``)
and, like inside Rasa, finds the tracker store at ``app.ctx.agent.tracker_store.engine`` (here an
engine on the session's tracker database, argv[2]). Starting a second Rasa only for the staff
page would cost a minute on the 2-core test machine; the routes are the same blueprint.
"""
from __future__ import annotations

import sys
from types import SimpleNamespace

import sqlalchemy as sa
from sanic import Sanic

from bot.channels.staff import StaffInput

port, tracker_url = int(sys.argv[1]), sys.argv[2]
app = Sanic("oih_staff_queue_test")
channel = StaffInput()
app.blueprint(channel.blueprint(lambda message: None), url_prefix=channel.url_prefix())  # as Rasa does


@app.listener("before_server_start")
async def attach_tracker_store(app: Sanic, _loop: object) -> None:
    engine = sa.create_engine(tracker_url) if tracker_url else None
    app.ctx.agent = SimpleNamespace(tracker_store=SimpleNamespace(_tracker_store=SimpleNamespace(engine=engine)))


app.run(host="127.0.0.1", port=port, workers=1, access_log=False, motd=False)
