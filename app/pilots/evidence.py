"""The portal records a firm may cite in a pilot application, and how the experts see them.

Each source (`EvidenceSource`) lists a firm's own records of one kind and says, for one record,
what it shows, where it comes from ("来源：平台赋能记录 2025") and the page a viewer may open it on
(none when the viewer may not). An application keeps only (source, record id): the experts read
the record as it stands on the portal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.accounts.models import Organization, User
from app.accounts.permissions import is_member_of
from app.core.templating import number
from app.events import competition
from app.events.forms import OUTCOME_LABELS
from app.events.models import CompetitionEntry, Event, EventKind, MeetingOutcome, OutcomeKind, Registration
from app.extensions import db
from app.incubation.models import ENDED, AnnualFigures, Enrolment
from app.incubation.services import STAGE_LABELS
from app.pilots.models import EvidenceSource, PilotApplication
from app.stats.models import Enablement, EnablementKind

LEDGER_KINDS = ("deal", "meeting")
#: How many records of one source an applicant is offered (the most recent).
LIMIT = 100


@dataclass(frozen=True)
class Shown:
    """One cited record as a page shows it."""

    key: str  # "<source>:<record id>", the form's value
    source: EvidenceSource
    summary: str
    origin: str  # "来源：…"
    url: str | None  # None when the viewer may not open it


@dataclass(frozen=True)
class _Source:
    records: Callable[[Organization], Sequence[Any]]  # the firm's, most recent first
    load: Callable[[int], Any]  # one record by id, None when gone
    summary: Callable[[Any], str]
    origin: Callable[[Any], str]
    url: Callable[[Any, User], str | None]


def _locale() -> str:
    return str(get_locale() or "zh")


# --- the ledger's deals and meetings --------------------------------------------------------------


def _ledger_rows(org: Organization) -> list[Enablement]:
    """Counted rows, reversed ones left out."""
    reversal = aliased(Enablement)
    return list(
        db.session.scalars(
            select(Enablement)
            .join(EnablementKind)
            .where(
                Enablement.firm_id == org.id,
                Enablement.delta == 1,
                EnablementKind.code.in_(LEDGER_KINDS),
                ~select(reversal.id).where(reversal.reverses_id == Enablement.id).exists(),
            )
            .order_by(Enablement.occurred_on.desc(), Enablement.id.desc())
            .limit(LIMIT)
        )
    )


def _ledger_summary(row: Enablement) -> str:
    parts = [f"{row.occurred_on.isoformat()} {row.kind.display_name(_locale())}"]
    parts += [name for name in (row.provider.name if row.provider else "", row.programme) if name]
    return " · ".join(parts)


# --- yearly figures ---------------------------------------------------------------------------------


def _figures(org: Organization) -> list[AnnualFigures]:
    return list(
        db.session.scalars(
            select(AnnualFigures)
            .where(AnnualFigures.organization_id == org.id)
            .order_by(AnnualFigures.year.desc())
            .limit(LIMIT)
        )
    )


def _figures_summary(row: AnnualFigures) -> str:
    return _(
        "%(year)d 年：营业收入 %(revenue)s 万元，净利润 %(profit)s 万元，研发投入 %(rd)s 万元，"
        "员工 %(employees)d 人，发明专利 %(patents)d 件",
        year=row.year,
        revenue=number(row.revenue),
        profit=number(row.net_profit),
        rd=number(row.rd_spending),
        employees=row.employees,
        patents=row.invention_patents,
    )


def _figures_url(row: AnnualFigures, viewer: User) -> str | None:
    if viewer.is_admin:
        return url_for("incubation_admin.correct", figures_id=row.id)
    if is_member_of(viewer, row.organization):
        return url_for("incubation.figures")
    return None


# --- incubation -------------------------------------------------------------------------------------


def _enrolments(org: Organization) -> list[Enrolment]:
    """Enrolments that have not ended (rejected or exited ones prove nothing)."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.organization_id == org.id, Enrolment.stage.not_in(ENDED))
            .order_by(Enrolment.id.desc())
            .limit(LIMIT)
        )
    )


def _enrolment_summary(row: Enrolment) -> str:
    summary = _("%(track)s：%(stage)s", track=row.track.display_name(_locale()), stage=STAGE_LABELS[row.stage])
    if row.certified_on:
        summary += _("（%(date)s 认定）", date=row.certified_on.isoformat())
    return summary


def _enrolment_url(row: Enrolment, viewer: User) -> str | None:
    if viewer.is_admin:
        return url_for("incubation_admin.enrolment", enrolment_id=row.id)
    return url_for("incubation.track", code=row.track.code)


# --- matchmaking outcomes ---------------------------------------------------------------------------


def _outcomes(org: Organization) -> list[MeetingOutcome]:
    """What the firm itself recorded of its meetings, short of "no interest"."""
    return list(
        db.session.scalars(
            select(MeetingOutcome)
            .join(Registration, MeetingOutcome.registration_id == Registration.id)
            .where(Registration.organization_id == org.id, MeetingOutcome.kind != OutcomeKind.NO_INTEREST)
            .order_by(MeetingOutcome.recorded_at.desc(), MeetingOutcome.id.desc())
            .limit(LIMIT)
        )
    )


def _outcome_summary(row: MeetingOutcome) -> str:
    request = row.meeting.request
    other = request.recipient if request.requester_id == row.registration_id else request.requester
    parts = [
        request.event.title,
        _("与“%(org)s”洽谈", org=other.organization.name),
        str(OUTCOME_LABELS[row.kind]),
    ]
    if row.amount is not None:
        parts.append(_("签约 %(amount)s 万元", amount=number(row.amount)))
    if row.financing is not None:
        parts.append(_("融资 %(amount)s 万元", amount=number(row.financing)))
        if row.institution:
            parts.append(row.institution)
    return " · ".join(parts)


def _event_url(event: Event) -> str | None:
    return url_for("events.detail", event_id=event.id) if event.is_public else None


# --- competition results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    """An entry with its rank in a published competition."""

    id: int
    event: Event
    title: str
    rank: int
    ranked: int


def _placings(org: Organization) -> list[_Placed]:
    events = db.session.scalars(
        select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(Registration.organization_id == org.id, Event.kind == EventKind.COMPETITION)
        .order_by(Event.starts_at.desc())
        .limit(LIMIT)
    )
    placed = []
    for event in events:
        results = [(entry, r) for entry, r in competition.published_results(event) if r.rank]
        placed += [
            _Placed(entry.id, event, entry.title, r.rank, len(results))
            for entry, r in results
            if entry.registration.organization_id == org.id
        ]
    return placed


def _placing(entry_id: int) -> _Placed | None:
    entry = db.session.get(CompetitionEntry, entry_id)
    if entry is None:
        return None
    return next((p for p in _placings(entry.registration.organization) if p.id == entry_id), None)


SOURCES: dict[EvidenceSource, _Source] = {
    EvidenceSource.LEDGER: _Source(
        records=_ledger_rows,
        summary=_ledger_summary,
        origin=lambda row: _("来源：平台赋能记录 %(year)d", year=row.occurred_on.year),
        url=lambda row, viewer: url_for("stats.entry", row_id=row.id) if viewer.is_admin else None,
        load=lambda record_id: db.session.get(Enablement, record_id),
    ),
    EvidenceSource.FIGURES: _Source(
        records=_figures,
        summary=_figures_summary,
        origin=lambda row: _("来源：企业填报的年度数据 %(year)d", year=row.year),
        url=_figures_url,
        load=lambda record_id: db.session.get(AnnualFigures, record_id),
    ),
    EvidenceSource.INCUBATION: _Source(
        records=_enrolments,
        summary=_enrolment_summary,
        origin=lambda row: _("来源：平台孵化培育记录 %(year)d", year=row.created_at.year),
        url=_enrolment_url,
        load=lambda record_id: db.session.get(Enrolment, record_id),
    ),
    EvidenceSource.EVENT_OUTCOME: _Source(
        records=_outcomes,
        summary=_outcome_summary,
        origin=lambda row: _("来源：平台活动洽谈结果 %(year)d", year=row.meeting.slot.starts_at.year),
        url=lambda row, viewer: _event_url(row.meeting.request.event),
        load=lambda record_id: db.session.get(MeetingOutcome, record_id),
    ),
    EvidenceSource.COMPETITION: _Source(
        records=_placings,
        summary=lambda p: _(
            "%(event)s · 参赛作品“%(title)s” · 第 %(rank)d 名（共 %(count)d 名）",
            event=p.event.title,
            title=p.title,
            rank=p.rank,
            count=p.ranked,
        ),
        origin=lambda p: _("来源：平台大赛结果 %(year)d", year=p.event.starts_at.year),
        url=lambda p, viewer: _event_url(p.event),
        load=_placing,
    ),
}


def key_of(source: EvidenceSource, record_id: int) -> str:
    return f"{source.value}:{record_id}"


def _shown(source: EvidenceSource, record: Any, viewer: User) -> Shown:
    spec = SOURCES[source]
    return Shown(key_of(source, record.id), source, spec.summary(record), spec.origin(record), spec.url(record, viewer))


def choices(org: Organization, viewer: User) -> list[Shown]:
    """Every record the firm may cite, source by source."""
    return [_shown(source, record, viewer) for source, spec in SOURCES.items() for record in spec.records(org)]


def offered_keys(org: Organization) -> set[str]:
    return {key_of(source, record.id) for source, spec in SOURCES.items() for record in spec.records(org)}


def shown(application: PilotApplication, viewer: User) -> list[Shown]:
    """The application's evidence as the viewer sees it; a record gone from the portal says so."""
    items = []
    for cited in application.evidence:
        record = SOURCES[cited.source].load(cited.record_id)
        if record is None:
            items.append(
                Shown(key_of(cited.source, cited.record_id), cited.source, _("该记录已不在平台上。"), "", None)
            )
        else:
            items.append(_shown(cited.source, record, viewer))
    return items
