"""The rules of incubation: yearly figures (checked, recorded, corrected), the tracks and their
criteria, evaluating a firm, and the enrolment pipeline with its history, milestones and notes.

Functions flush and never commit. When a firm's figures change, each track it meets or no longer
meets as a result is told to the admins.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Organization, SiteRole, User
from app.core import signals
from app.core.audit import audit
from app.core.domain_error import DomainError
from app.core.models import local_today, utcnow
from app.extensions import db
from app.incubation import criteria as rules
from app.incubation.models import (
    CERTIFIED,
    ENDED,
    AnnualFigures,
    Enrolment,
    MentorNote,
    Milestone,
    Stage,
    Track,
    Transition,
)
from app.notifications.models import Topic
from app.notifications.services import members, notify
from app.stats.indicators import current_plan
from app.stats.models import Indicator


class IncubationError(DomainError):
    """A rule of incubation refused the step; the message is for the user."""


class FiguresRefused(IncubationError):
    """Figures that cannot be recorded: `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


# --- yearly figures --------------------------------------------------------------------------

MONEY_FIELDS = ("revenue", "net_profit", "rd_spending", "financing")
COUNT_FIELDS = ("employees", "rd_staff", "invention_patents", "other_ip")
MAX_MONEY = Decimal("1e11")  # 万元: far above any firm, well inside the column
MAX_COUNT = 10_000_000  # people or patents: far above any firm, well inside the column


@dataclass(frozen=True)
class FiguresValues:
    year: int
    revenue: Decimal
    net_profit: Decimal
    rd_spending: Decimal
    employees: int
    rd_staff: int
    invention_patents: int
    other_ip: int
    financing: Decimal

    def for_audit(self) -> dict:
        return {name: str(value) if isinstance(value, Decimal) else value for name, value in asdict(self).items()}


def values_of(figures: AnnualFigures) -> FiguresValues:
    return FiguresValues(**{name: getattr(figures, name) for name in FiguresValues.__dataclass_fields__})


def figures_of(org: Organization) -> list[AnnualFigures]:
    return list(
        db.session.scalars(
            select(AnnualFigures).where(AnnualFigures.organization_id == org.id).order_by(AnnualFigures.year)
        )
    )


def check_figures(
    org: Organization,
    values: FiguresValues,
    current: AnnualFigures | None = None,
    today: date | None = None,
    keep_year: bool = False,
) -> dict[str, str]:
    """What is wrong with `values` as `org`'s figures (replacing `current`, whose year stays when
    `keep_year`), field by field."""
    if keep_year and current is not None and values.year != current.year:
        return {"year": _("年度不能修改；如填错年度，请联系平台运营更正。")}
    today = today or local_today()
    problems = {}
    if values.year > today.year:
        problems["year"] = _("不能填报未来年份（%(year)d 年）的数据。", year=values.year)
    elif values.year < 1949:
        problems["year"] = _("年份应在 1949 年以后。")
    elif (current is None or current.year != values.year) and db.session.scalar(
        select(AnnualFigures.id).where(AnnualFigures.organization_id == org.id, AnnualFigures.year == values.year)
    ):
        problems["year"] = _("%(year)d 年的数据已经填报过，请在列表中修改该年度。", year=values.year)
    for name in MONEY_FIELDS:
        value = getattr(values, name)
        if name != "net_profit" and value < 0:
            problems[name] = _("金额不能为负数。")
        elif value.as_tuple().exponent < -2:
            problems[name] = _("金额以万元为单位，最多保留两位小数。")
        elif abs(value) >= MAX_MONEY:
            problems[name] = _("金额过大，请确认单位是万元。")
    for name in COUNT_FIELDS:
        if getattr(values, name) < 0:
            problems[name] = _("人数和件数不能为负数。")
        elif getattr(values, name) > MAX_COUNT:
            problems[name] = _("人数和件数过大，请核对。")
    if "rd_staff" not in problems and "employees" not in problems and values.rd_staff > values.employees:
        problems["rd_staff"] = _(
            "研发人员（%(staff)d 人）不能多于从业人员（%(employees)d 人）。",
            staff=values.rd_staff,
            employees=values.employees,
        )
    return problems


def _refuse_bad(
    org: Organization, values: FiguresValues, current: AnnualFigures | None = None, keep_year: bool = False
) -> None:
    problems = check_figures(org, values, current, keep_year=keep_year)
    if problems:
        raise FiguresRefused(problems)


def _write(figures: AnnualFigures, values: FiguresValues) -> None:
    for name, value in asdict(values).items():
        setattr(figures, name, value)


def record_figures(org: Organization, values: FiguresValues, by: User) -> AnnualFigures:
    _refuse_bad(org, values)
    with _watching(org):
        figures = AnnualFigures(organization=org, entered_by=by)
        _write(figures, values)
        db.session.add(figures)
        db.session.flush()
    return figures


def update_figures(figures: AnnualFigures, values: FiguresValues, by: User) -> AnnualFigures:
    """A member changes a year their organization reported (the year itself stays)."""
    _refuse_bad(figures.organization, values, figures, keep_year=True)
    with _watching(figures.organization):
        _write(figures, values)
        figures.updated_by, figures.updated_at = by, utcnow()
        db.session.flush()
    return figures


def correct_figures(figures: AnnualFigures, values: FiguresValues, by: User, reason: str) -> AnnualFigures:
    """An admin corrects a firm's figures, year included; the audit log keeps before, after and why."""
    if not reason.strip():
        raise FiguresRefused({"reason": _("请填写更正原因。")})
    _refuse_bad(figures.organization, values, figures)
    before = values_of(figures).for_audit()
    with _watching(figures.organization):
        _write(figures, values)
        figures.updated_by, figures.updated_at = by, utcnow()
        db.session.flush()
    audit(by, "incubation.correct", figures.organization, before, {**values.for_audit(), "reason": reason.strip()})
    return figures


# --- tracks and evaluation -------------------------------------------------------------------


def tracks() -> list[Track]:
    return list(db.session.scalars(select(Track).order_by(Track.position, Track.id)))


def track_by_code(code: str) -> Track | None:
    return db.session.scalar(select(Track).where(Track.code == code))


def target_of(track: Track) -> Decimal | None:
    """The track's target: the current plan's indicator it names."""
    plan = current_plan()
    if plan is None:
        return None
    return db.session.scalar(
        select(Indicator.target).where(Indicator.plan_id == plan.id, Indicator.code == track.indicator_code)
    )


def load_tracks(data: dict, keep: bool = False) -> int:
    """Insert or update the tracks by code; with `keep` an existing track is left as admins
    edited it, but for its English texts, which no admin page edits. Returns how many were added."""
    existing = {track.code: track for track in tracks()}
    added = 0
    for position, item in enumerate(data["tracks"], start=1):
        track = existing.get(item["code"])
        if track is None:
            track = Track(code=item["code"])
            db.session.add(track)
            added += 1
        track.name_en, track.description_en = item.get("en", ""), item.get("description_en", "")
        if keep and track.id is not None:
            continue
        for criterion in item["criteria"]:
            rules.validate(criterion)
        track.name, track.description = item["name"], item.get("description", "")
        track.indicator_code, track.criteria, track.position = item["indicator"], item["criteria"], position
    db.session.flush()
    return added


def set_criteria(track: Track, criteria: list[dict], by: User) -> Track:
    """Admins change the thresholds of a track's criteria (audited)."""
    if [c["type"] for c in criteria] != [c["type"] for c in track.criteria]:
        raise IncubationError(_("只能修改各项条件的阈值。"))
    before = {"criteria": track.criteria}
    track.criteria = criteria
    db.session.flush()
    audit(by, "incubation.criteria", track, before, {"criteria": criteria})
    return track


def evaluation(org: Organization, track: Track, today: date | None = None) -> rules.Evaluation:
    return rules.evaluate(track.criteria, org.founded_year, figures_of(org), today or local_today())


def evaluations(org: Organization) -> list[tuple[Track, rules.Evaluation]]:
    figures, today = figures_of(org), local_today()
    return [(track, rules.evaluate(track.criteria, org.founded_year, figures, today)) for track in tracks()]


@contextmanager
def _watching(org: Organization):
    """Around a change of `org`'s figures: tell the admins and the firm's members of each track whose
    verdict flipped."""
    before = {track.id: result.met for track, result in evaluations(org)}
    yield
    for track, result in evaluations(org):
        if result.met != before.get(track.id, False):
            _tell_admins(org, track, result.met)
            _tell_members(org, track, result.met)


def _tell_admins(org: Organization, track: Track, met: bool) -> None:
    admins = db.session.scalars(select(User).where(User.site_role == SiteRole.ADMIN, User.active.is_(True)))
    title = (
        _l("“%(org)s”的最新数据已符合%(track)s认定条件", org=org.name, track=LazyString(track.display_name))
        if met
        else _l("“%(org)s”的最新数据不再符合%(track)s认定条件", org=org.name, track=LazyString(track.display_name))
    )
    notify(
        admins,
        Topic.INCUBATION,
        title,
        "incubation_admin.enrol",
        _l("请在孵化管理中查看逐项评估。"),
        code=track.code,
        org=org.id,
    )


def _tell_members(org: Organization, track: Track, met: bool) -> None:
    title = (
        _l("贵单位的最新数据已符合%(track)s认定条件", track=LazyString(track.display_name))
        if met
        else _l("贵单位的最新数据不再符合%(track)s认定条件", track=LazyString(track.display_name))
    )
    notify(members(org), Topic.INCUBATION, title, "incubation.figures", _l("可在“年度经营数据”页面查看逐项评估。"))


# --- the pipeline ----------------------------------------------------------------------------

STAGE_LABELS = {
    Stage.APPLIED: _l("已申请"),
    Stage.REVIEW: _l("审核中"),
    Stage.CANDIDATE: _l("培育对象"),
    Stage.INCUBATING: _l("孵化中"),
    Stage.CERTIFIED: _l("已认定"),
    Stage.GRADUATED: _l("已毕业"),
    Stage.REJECTED: _l("未通过"),
    Stage.EXITED: _l("已退出"),
}

TRANSITIONS: dict[Stage, tuple[Stage, ...]] = {
    Stage.APPLIED: (Stage.REVIEW, Stage.REJECTED),
    Stage.REVIEW: (Stage.CANDIDATE, Stage.REJECTED),
    Stage.CANDIDATE: (Stage.INCUBATING, Stage.REJECTED, Stage.EXITED),
    Stage.INCUBATING: (Stage.CERTIFIED, Stage.EXITED),
    Stage.CERTIFIED: (Stage.GRADUATED, Stage.EXITED),
    Stage.GRADUATED: (),
    Stage.REJECTED: (),
    Stage.EXITED: (),
}


def live_enrolment(org: Organization, track: Track) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.organization_id == org.id, Enrolment.track_id == track.id, Enrolment.stage.not_in(ENDED)
        )
    )


def enrolments_of(org: Organization) -> list[Enrolment]:
    return list(
        db.session.scalars(select(Enrolment).where(Enrolment.organization_id == org.id).order_by(Enrolment.id.desc()))
    )


def _start(org: Organization, track: Track, by: User, stage: Stage, statement: str = "") -> Enrolment:
    existing = live_enrolment(org, track)
    if existing is not None:
        raise IncubationError(
            _(
                "“%(org)s”已在%(track)s培育流程中（%(stage)s）。",
                org=org.name,
                track=LazyString(track.display_name),
                stage=STAGE_LABELS[existing.stage],
            ),
            category="warning",
        )
    enrolment = Enrolment(organization=org, track=track, created_by=by, stage=stage, statement=statement.strip())
    enrolment.transitions.append(Transition(from_stage=None, to_stage=stage, by=by))
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def open_to_apply(org: Organization, track: Track) -> bool:
    """True, or refuses (as information for the member) when the organization is in the track's
    pipeline already."""
    existing = live_enrolment(org, track)
    if existing is not None:
        raise IncubationError(
            _(
                "贵单位已在%(track)s培育流程中，当前阶段：%(stage)s。",
                track=LazyString(track.display_name),
                stage=STAGE_LABELS[existing.stage],
            ),
            category="info",
        )
    return True


def apply(org: Organization, track: Track, by: User, statement: str = "") -> Enrolment:
    """A member applies for their organization; the office reviews it."""
    return _start(org, track, by, Stage.APPLIED, statement)


def enrol(org: Organization, track: Track, by: User) -> Enrolment:
    """An admin takes a firm straight in as a candidate (培育对象), without an application."""
    enrolment = _start(org, track, by, Stage.CANDIDATE)
    audit(by, "incubation.enrol", org, None, {"track": track.code, "enrolment": enrolment.id})
    return enrolment


def move(enrolment: Enrolment, to: Stage, by: User, reason: str = "", on: date | None = None) -> Transition:
    """Move an enrolment one allowed step; rejecting or exiting needs a reason. Certifying (on
    `on`, default today) counts the firm once in the enablement ledger."""
    if to not in TRANSITIONS[enrolment.stage]:
        raise IncubationError(
            _("不能从“%(from)s”改为“%(to)s”。", **{"from": STAGE_LABELS[enrolment.stage], "to": STAGE_LABELS[to]}),
            category="warning",
        )
    reason = reason.strip()
    if to in ENDED and not reason:
        raise IncubationError(_("请填写原因：未通过或退出时企业会看到它。"), category="warning")
    if on is not None and on > local_today():
        raise IncubationError(_("认定日期不能晚于今天。"), category="warning")
    criteria_met = to != Stage.CERTIFIED or evaluation(enrolment.organization, enrolment.track).met
    if not criteria_met and not reason:
        raise IncubationError(
            _("该企业不满足本赛道的认定条件：破格认定请写明原因，原因记入审计日志并显示在看板上。"),
            category="warning",
        )
    before = enrolment.stage
    transition = Transition(from_stage=before, to_stage=to, reason=reason, by=by)
    enrolment.transitions.append(transition)
    enrolment.stage, enrolment.stage_changed_at = to, utcnow()
    if to == Stage.CERTIFIED:
        enrolment.certified_on = on or local_today()
        signals.firm_certified.send(
            enrolment, firm=enrolment.organization, on=enrolment.certified_on, programme=enrolment.track.code, by=by
        )
    db.session.flush()
    audit(
        by,
        "incubation.move",
        enrolment.organization,
        {"stage": before.value},
        {"stage": to.value, "track": enrolment.track.code, "reason": reason}
        | ({"criteria_met": criteria_met} if to == Stage.CERTIFIED else {}),
    )
    notify(
        members(enrolment.organization),
        Topic.PROGRAMME,
        _l(
            "贵单位的%(track)s孵化申请进入“%(stage)s”",
            track=LazyString(enrolment.track.display_name),
            stage=STAGE_LABELS[to],
        ),
        "incubation.figures",
        reason,
    )
    return transition


def board(track: Track) -> dict[Stage, list[Enrolment]]:
    """The track's enrolments by stage, in the order of the pipeline."""
    columns: dict[Stage, list[Enrolment]] = {stage: [] for stage in Stage}
    for enrolment in db.session.scalars(
        select(Enrolment)
        .where(Enrolment.track_id == track.id)
        .options(selectinload(Enrolment.transitions))
        .order_by(Enrolment.stage_changed_at.desc(), Enrolment.id.desc())
    ):
        columns[enrolment.stage].append(enrolment)
    return columns


def certified(track: Track) -> list[Enrolment]:
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.track_id == track.id, Enrolment.stage.in_(CERTIFIED))
            .order_by(Enrolment.certified_on.desc(), Enrolment.id.desc())
        )
    )


def certified_count(indicator_code: str, start: date, end: date) -> int:
    """Firms certified in a track (still certified or graduated) between `start` and `end`."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(Enrolment.organization_id)))
            .join(Track)
            .where(
                Track.indicator_code == indicator_code,
                Enrolment.stage.in_(CERTIFIED),
                Enrolment.certified_on.between(start, end),
            )
        )
        or 0
    )


@dataclass(frozen=True)
class Progress:
    track: Track
    certified: int
    target: Decimal | None
    active: int

    @property
    def share(self) -> float:
        return float(self.certified / self.target) if self.target else 0.0


def progress() -> list[Progress]:
    """Each track's certified firms (all time) against its target, and how many are in the pipeline."""
    result = []
    for track in tracks():
        counts = dict(
            db.session.execute(
                select(Enrolment.stage, func.count()).where(Enrolment.track_id == track.id).group_by(Enrolment.stage)
            ).all()
        )
        active = sum(n for stage, n in counts.items() if stage not in ENDED and stage not in CERTIFIED)
        result.append(Progress(track, sum(counts.get(s, 0) for s in CERTIFIED), target_of(track), active))
    return result


# --- milestones and mentor notes -------------------------------------------------------------


def add_milestone(enrolment: Enrolment, title: str, due_on: date, by: User) -> Milestone:
    milestone = Milestone(title=title.strip(), due_on=due_on, created_by_id=by.id)
    enrolment.milestones.append(milestone)
    db.session.flush()
    after = {
        "enrolment": enrolment.id,
        "milestone": milestone.id,
        "title": milestone.title,
        "due_on": due_on.isoformat(),
    }
    audit(by, "incubation.milestone", enrolment.organization, None, after)
    return milestone


def set_milestone_done(milestone: Milestone, done: bool, by: User) -> None:
    before = milestone.done_at is not None
    milestone.done_at = utcnow() if done else None
    db.session.flush()
    enrolment = milestone.enrolment
    audit(
        by,
        "incubation.milestone_done" if done else "incubation.milestone_undone",
        enrolment.organization,
        {"done": before},
        {"enrolment": enrolment.id, "milestone": milestone.id, "done": done},
    )


def add_note(enrolment: Enrolment, body: str, by: User) -> MentorNote:
    if not body.strip():
        raise IncubationError(_("请填写辅导记录。"))
    note = MentorNote(body=body.strip(), author=by)
    enrolment.notes.append(note)
    db.session.flush()
    audit(by, "incubation.note", enrolment.organization, None, {"enrolment": enrolment.id, "note": note.id})
    return note
