"""Sending the queued mail after the commit, outside the request.

- `flask mail send` (app/mail/cli.py) sends what is due; cron runs it every minute.
- In a web process with `MAIL_SERVER` and `MAIL_SEND_IN_BACKGROUND`, a session that queued mail
  wakes a background thread when it really commits (a SAVEPOINT's release is not a commit: the hook
  ignores nested transactions, as app/search/sync.py does). The thread sends in an app context of
  its own, so the response never waits; it also wakes every `MAIL_RETRY_DELAY` seconds for retries.
  Each process starts its thread on its first commit of mail (so after a server's fork).
Both may run at once: `deliver_queued` claims each mail before sending it.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.mail.services import QUEUED_KEY, deliver_queued

log = logging.getLogger(__name__)
_installed = False


def install_session_hooks() -> None:
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session as FlaskSession

    event.listen(FlaskSession, "after_commit", _after_commit)
    event.listen(FlaskSession, "after_rollback", _after_rollback)
    _installed = True


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.pop(QUEUED_KEY, False):
        return
    if has_app_context() and _enabled(current_app):
        sender = current_app.extensions.setdefault("mail_sender", BackgroundSender(current_app._get_current_object()))  # type: ignore[attr-defined]
        sender.wake()


def _after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(QUEUED_KEY, None)


def _enabled(app: Flask) -> bool:
    return bool(app.config["MAIL_SERVER"] and app.config["MAIL_SEND_IN_BACKGROUND"])


class BackgroundSender:
    def __init__(self, app: Flask):
        self.app = app
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while _enabled(self.app):
            self._wake.clear()
            try:
                with self.app.app_context():
                    deliver_queued()
            except Exception:
                log.exception("the background mail sender failed; it goes on")
            self._wake.wait(timeout=self.app.config["MAIL_RETRY_DELAY"])
