"""Competitions (行业大赛): entries by registered organizations, judged in a review round
(`app.reviews`) against the organiser's weighted criteria; the ranking is published on the
event's page."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.core import files
from app.events.models import CompetitionEntry, EntryFile, Event, EventKind, Registration
from app.events.services import EventError
from app.extensions import db
from app.reviews import services as reviews
from app.reviews.models import ReviewRound, RoundStatus

FILES = "competition-entries"
FILE_KINDS = ("pdf", "png", "jpeg")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


def judging(event: Event) -> ReviewRound:
    if event.kind != EventKind.COMPETITION:
        raise EventError(_("只有行业大赛有评审。"))
    return reviews.round_for(f"event:{event.id}")


def entries(event: Event) -> list[CompetitionEntry]:
    return list(
        db.session.scalars(
            select(CompetitionEntry)
            .where(CompetitionEntry.event_id == event.id)
            .order_by(CompetitionEntry.created_at, CompetitionEntry.id)
        )
    )


def entry_of(registration: Registration) -> CompetitionEntry | None:
    return db.session.scalar(select(CompetitionEntry).where(CompetitionEntry.registration_id == registration.id))


def submit(registration: Registration, title: str, description: str, uploads: list[FileStorage]) -> CompetitionEntry:
    """Enter (or amend the entry) while judging is open, adding the uploaded files. Raises
    `files.FileRefused` for a file that is not a PDF, PNG or JPEG by content, or one too many,
    having kept nothing."""
    _ensure_open(registration.event)
    entry = entry_of(registration) or CompetitionEntry(event_id=registration.event_id, registration=registration)
    uploads = [upload for upload in uploads if upload and upload.filename]
    if len(entry.files) + len(uploads) > MAX_FILES:
        raise files.FileRefused(_("每件作品最多 %(count)d 个附件，请先删除不需要的附件。", count=MAX_FILES))
    kept = files.store_all(uploads, FILES, FILE_KINDS, MAX_FILE_BYTES)
    entry.title, entry.description = title.strip(), description.strip()
    entry.files.extend(
        EntryFile(
            original_name=stored.original_name,
            stored_name=stored.name,
            content_type=stored.mimetype,
            size_bytes=stored.size,
        )
        for stored in kept
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def remove_file(item: EntryFile) -> str:
    """Drop a file of an entry while judging is open; returns the stored name, whose file the
    caller removes once this is committed."""
    _ensure_open(item.entry.event)
    item.entry.files.remove(item)
    db.session.flush()
    return item.stored_name


def _ensure_open(event: Event) -> None:
    if judging(event).status != RoundStatus.OPEN:
        raise EventError(_("评审已经结束，参赛作品不能再修改。"))


def published_results(event: Event) -> list[tuple[CompetitionEntry, reviews.Ranked]]:
    """The ranking, once the organiser published it (nothing before)."""
    review = reviews.find_round(f"event:{event.id}") if event.kind == EventKind.COMPETITION else None
    return ranking(event) if review is not None and review.status == RoundStatus.PUBLISHED else []


def ranking(event: Event) -> list[tuple[CompetitionEntry, reviews.Ranked]]:
    by_id = {entry.id: entry for entry in entries(event)}
    ranked = reviews.ranking(judging(event), [(entry.id, (entry.created_at, entry.id)) for entry in by_id.values()])
    return [(by_id[r.subject_id], r) for r in ranked]
