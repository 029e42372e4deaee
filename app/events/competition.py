"""Competitions (行业大赛): entries by registered organizations, judged in a review round
(`app.reviews`) against the organiser's weighted criteria by the judges the organiser chose; the
ranking is published on the event's page once registration and judging are over.

A judge never judges an entry of their own organization: an expert whose organization registered
is never chosen, and a judge whose organization registers later never sees or scores its entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.core import files
from app.core.audit import audit
from app.core.models import utcnow
from app.core.templating import local_datetime
from app.events.models import CompetitionEntry, EntryFile, Event, EventKind, Registration
from app.events.permissions import is_judge
from app.events.services import EventError
from app.extensions import db
from app.notifications.models import Topic
from app.notifications.services import notify
from app.reviews import services as reviews
from app.reviews.models import Criterion, ReviewRound, RoundStatus

FILES = "competition-entries"
FILE_KINDS = ("pdf", "png", "jpeg")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


def judging(event: Event) -> ReviewRound:
    if event.kind != EventKind.COMPETITION:
        raise EventError(_("只有行业大赛有评审。"))
    return reviews.round_for(f"event:{event.id}")


def set_criteria(event: Event, criteria: list[tuple[str, int]], by: User) -> list[Criterion]:
    """The organiser's weighted criteria (until a judge scores), audited."""
    review = judging(event)
    before = _criteria(review)
    reviews.set_criteria(review, criteria)
    audit(by, "judging.criteria", event, before, _criteria(review))
    return review.criteria


def _criteria(review: ReviewRound) -> dict[str, int]:
    return {criterion.name: criterion.weight for criterion in review.criteria}


def shown_judging(event: Event) -> ReviewRound:
    """The judging as a page shows it; before the organiser sets criteria, a blank open round."""
    return reviews.shown_round(f"event:{event.id}")


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


# --- judges ------------------------------------------------------------------------------------


def _entrants(event: Event) -> set[int]:
    """The organizations that registered (whatever became of the registration)."""
    return set(db.session.scalars(select(Registration.organization_id).where(Registration.event_id == event.id)))


def candidates(event: Event) -> list[User]:
    """The experts the organiser may still choose (`add_judge` refuses the others)."""
    entrants, chosen = _entrants(event), {judge.id for judge in event.judges}
    return [
        expert
        for expert in reviews.experts()
        if expert.id not in chosen and not any(reviews.conflicted(expert, org_id) for org_id in entrants)
    ]


def appoint_judge(event: Event, expert: User | None, by: User) -> User:
    """The organiser's choice of a judge, audited; returns the judge."""
    if expert is None:
        raise EventError(_("请选择评审专家。"))
    add_judge(event, expert)
    audit(by, "judging.add_judge", event, None, {"judge": expert.id})
    return expert


def add_judge(event: Event, expert: User) -> None:
    if judging(event).status != RoundStatus.OPEN:
        raise EventError(_("评审已经结束，不能再增加评委。"))
    if not expert.is_expert or not expert.active:
        raise EventError(_("只能请评审专家担任评委。"))
    if any(reviews.conflicted(expert, org_id) for org_id in _entrants(event)):
        raise EventError(_("%(name)s 所在单位报名参加了本次大赛，需要回避，不能担任评委。", name=expert.display_name))
    if is_judge(expert, event):
        raise EventError(_("%(name)s 已经是本次大赛的评委。", name=expert.display_name))
    event.judges.append(expert)
    db.session.flush()
    notify(
        [expert],
        Topic.PROGRAMME,
        _l("请担任“%(title)s”的评委", title=event.title),
        "events.judging",
        _l("评审结束前，您看不到其他评委的打分。"),
        event_id=event.id,
    )


def remove_judge(event: Event, judge: User, by: User) -> int:
    """Take a judge off the competition while judging is open, dropping their scores, audited;
    returns how many scores were dropped."""
    if judging(event).status != RoundStatus.OPEN:
        raise EventError(_("评审已经结束，不能再撤换评委。"))
    if not any(j.id == judge.id for j in event.judges):
        raise EventError(_("%(name)s 不是本次大赛的评委。", name=judge.display_name))
    event.judges.remove(judge)
    dropped = reviews.drop_scores(judging(event), judge)
    db.session.flush()
    audit(by, "judging.remove_judge", event, None, {"judge": judge.id, "scores_dropped": dropped})
    return dropped


def entries_for(event: Event, judge: User) -> list[CompetitionEntry]:
    """The entries the judge scores: all but those of their own organization."""
    return [e for e in entries(event) if not reviews.conflicted(judge, e.registration.organization_id)]


def score(event: Event, judge: User, entry_id: int | None, values: Mapping[int, int]) -> None:
    """A judge's scores of one entry (scoring again replaces them)."""
    if not is_judge(judge, event):
        raise EventError(_("您不是本次大赛的评委。"))
    entry = next((e for e in entries(event) if e.id == entry_id), None)
    if entry is None:
        raise EventError(_("没有这件参赛作品。"))
    if reviews.conflicted(judge, entry.registration.organization_id):
        raise EventError(_("“%(title)s”是您所在单位的参赛作品，需要回避，不能打分。", title=entry.title))
    reviews.score(judging(event), judge, entry.id, values)


def close_judging(event: Event, by: User) -> None:
    """End the scoring, audited: the organiser sees the ranking."""
    review = judging(event)
    if review.status != RoundStatus.OPEN:
        raise EventError(_("评审已经结束。"), category="warning")
    reviews.close(review)
    audit(by, "judging.close", event, None, {"status": review.status.value})


def publish_results(event: Event, by: User, now: datetime | None = None) -> None:
    """Make the ranking public, once judging is over and registration has closed; audited."""
    review = judging(event)
    if review.status != RoundStatus.CLOSED:
        raise EventError(_("请先结束评审，再公布结果。"), category="warning")
    if (now or utcnow()) <= event.registration_closes_at:
        raise EventError(
            _(
                "报名截止（%(closes)s）之后才能公布比赛结果。",
                closes=local_datetime(event.registration_closes_at),
            ),
            category="warning",
        )
    reviews.publish(review)
    audit(by, "judging.publish", event, None, {"status": review.status.value})


# --- results -------------------------------------------------------------------------------------


def published_results(event: Event) -> list[tuple[CompetitionEntry, reviews.Ranked]]:
    """The ranking, once the organiser published it (nothing before)."""
    review = reviews.find_round(f"event:{event.id}") if event.kind == EventKind.COMPETITION else None
    return ranking(event) if review is not None and review.status == RoundStatus.PUBLISHED else []


def ranking(event: Event) -> list[tuple[CompetitionEntry, reviews.Ranked]]:
    by_id = {entry.id: entry for entry in entries(event)}
    ranked = reviews.ranking(judging(event), [(entry.id, (entry.created_at, entry.id)) for entry in by_id.values()])
    return [(by_id[r.subject_id], r) for r in ranked]
