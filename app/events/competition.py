"""Competitions (行业大赛): entries by registered organizations, judged in a review round
(`app.reviews`) against the organiser's weighted criteria; the ranking is published on the
event's page."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.core import files
from app.events.models import CompetitionEntry, Event, EventKind, Registration
from app.events.services import EventError
from app.extensions import db
from app.reviews import services as reviews
from app.reviews.models import ReviewRound, RoundStatus

FILES = "competition-entries"
FILE_KINDS = ("pdf", "png", "jpeg")
MAX_FILE_BYTES = 10 * 1024 * 1024


def judging(event: Event) -> ReviewRound:
    if event.kind != EventKind.COMPETITION:
        raise EventError(_("只有行业大赛有评审。"))
    return reviews.round_for(f"event:{event.id}")


def entries(event: Event) -> list[CompetitionEntry]:
    return list(db.session.scalars(select(CompetitionEntry).where(CompetitionEntry.event_id == event.id)
                                   .order_by(CompetitionEntry.created_at, CompetitionEntry.id)))


def entry_of(registration: Registration) -> CompetitionEntry | None:
    return db.session.scalar(select(CompetitionEntry).where(CompetitionEntry.registration_id == registration.id))


def submit(registration: Registration, title: str, description: str, upload: FileStorage | None) -> CompetitionEntry:
    """Enter (or amend the entry) while judging is open. Raises `files.FileRefused` for a file that
    is not a PDF, PNG or JPEG by content, having changed nothing."""
    if judging(registration.event).status != RoundStatus.OPEN:
        raise EventError(_("评审已经结束，参赛作品不能再修改。"))
    entry = entry_of(registration) or CompetitionEntry(event_id=registration.event_id, registration=registration)
    stored = files.store_checked(upload, FILES, FILE_KINDS, MAX_FILE_BYTES) if upload and upload.filename else None
    old = entry.stored_name if stored else ""
    entry.title, entry.description = title.strip(), description.strip()
    if stored is not None:
        entry.file_name, entry.stored_name, entry.content_type = stored.original_name, stored.name, stored.mimetype
    db.session.add(entry)
    db.session.flush()
    if old:
        files.remove_stored(FILES, old)
    return entry


def published_results(event: Event) -> list[tuple[CompetitionEntry, reviews.Ranked]]:
    """The ranking, once the organiser published it (nothing before)."""
    review = reviews.find_round(f"event:{event.id}") if event.kind == EventKind.COMPETITION else None
    return ranking(event) if review is not None and review.status == RoundStatus.PUBLISHED else []


def ranking(event: Event) -> list[tuple[CompetitionEntry, reviews.Ranked]]:
    by_id = {entry.id: entry for entry in entries(event)}
    ranked = reviews.ranking(judging(event), [(entry.id, (entry.created_at, entry.id)) for entry in by_id.values()])
    return [(by_id[r.subject_id], r) for r in ranked]
