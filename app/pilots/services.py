"""The rules of the yearly selection of pilot projects and demo cases.

A call goes draft → open (firms apply until the deadline) → reviewing (assigned experts score the
applications in a review round of `app.reviews`, each seeing only their own scores; the admin
closes scoring, reads the ranking and selects up to the quota) → notice (公示: the provisional list
is public and anyone signed in may object until the notice ends; the admin answers each objection
and may withdraw a selection) → published (the list is final; each selected firm is counted once
in the enablement ledger). An expert never scores an application of their own organization.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.core import files, signals
from app.core.audit import audit
from app.core.domain_error import DomainError
from app.core.models import local_today, utcnow
from app.extensions import db
from app.notifications.models import Topic
from app.notifications.services import members, notify
from app.pilots import evidence
from app.pilots.models import (
    CallKind,
    CallStatus,
    EvidenceSource,
    PilotApplication,
    PilotAssignment,
    PilotAttachment,
    PilotCall,
    PilotEvidence,
    PilotObjection,
)
from app.reviews import services as reviews
from app.reviews.models import ReviewRound, RoundStatus
from app.taxonomy.models import TechDomain

QUOTAS = {CallKind.PILOT: 100, CallKind.DEMO_CASE: 10}
FILES = "pilot-attachments"
FILE_KINDS = ("pdf", "png", "jpeg")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


class PilotError(DomainError):
    """The message is for the user."""


# --- calls -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallValues:
    kind: CallKind
    year: int
    title: str
    description: str
    deadline: date
    quota: int
    modes: list[TechDomain]
    criteria: list[tuple[str, int]]


def new_modes() -> list[TechDomain]:
    """The plan's new modes of the industrial internet: the technology domains marked so in the
    taxonomy (seeds/taxonomy.json, editable under 分类体系)."""
    return list(
        db.session.scalars(
            select(TechDomain)
            .where(TechDomain.new_mode.is_(True), TechDomain.is_active.is_(True))
            .order_by(TechDomain.position, TechDomain.id)
        )
    )


def review_of(call: PilotCall) -> ReviewRound:
    return reviews.round_for(call.review_scope)


def create_call(values: CallValues, by: User) -> PilotCall:
    call = PilotCall(created_by=by)
    db.session.add(call)
    _apply_values(call, values)
    _audit_step(by, "create", call)
    return call


def update_call(call: PilotCall, values: CallValues, by: User) -> None:
    if call.status not in (CallStatus.DRAFT, CallStatus.OPEN):
        raise PilotError(_("评审开始后不能再修改申报通知。"))
    if call.status == CallStatus.OPEN and values.kind != call.kind:
        raise PilotError(_("申报开始后不能再改变类别。"))
    _apply_values(call, values)
    _audit_step(by, "update", call)


def _apply_values(call: PilotCall, values: CallValues) -> None:
    if not values.modes:
        raise PilotError(_("请至少选择一种新模式。"))
    call.kind, call.year, call.title, call.description = (
        values.kind,
        values.year,
        values.title.strip(),
        values.description.strip(),
    )
    call.deadline, call.quota, call.modes = values.deadline, values.quota, list(values.modes)
    db.session.flush()
    reviews.set_criteria(review_of(call), values.criteria)


def _audit_step(by: User, step: str, call: PilotCall) -> None:
    audit(by, f"pilot_call.{step}", call, None, {"title": call.title, "status": call.status.value})


def open_call(call: PilotCall, by: User, today: date | None = None) -> None:
    if call.status != CallStatus.DRAFT:
        raise PilotError(_("只有草稿可以开始申报。"))
    if call.deadline < (today or local_today()):
        raise PilotError(_("申报截止日期已过，请先修改截止日期。"))
    if not review_of(call).criteria:
        raise PilotError(_("请先设置评分标准。"))
    call.status = CallStatus.OPEN
    db.session.flush()
    _audit_step(by, "open", call)


def start_review(call: PilotCall, by: User) -> None:
    if call.status != CallStatus.OPEN:
        raise PilotError(_("只有申报中的批次可以开始评审。"))
    call.status = CallStatus.REVIEWING
    db.session.flush()
    _audit_step(by, "review", call)


def close_scoring(call: PilotCall, by: User) -> None:
    if call.status != CallStatus.REVIEWING:
        raise PilotError(_("评审尚未开始。"))
    reviews.close(review_of(call))
    _audit_step(by, "close", call)


def scoring_closed(call: PilotCall) -> bool:
    review = reviews.find_round(call.review_scope)
    return review is not None and review.status != RoundStatus.OPEN


def public_calls() -> list[PilotCall]:
    return list(
        db.session.scalars(
            select(PilotCall)
            .where(PilotCall.status != CallStatus.DRAFT)
            .order_by(PilotCall.year.desc(), PilotCall.kind, PilotCall.id.desc())
        )
    )


def all_calls() -> list[PilotCall]:
    return list(db.session.scalars(select(PilotCall).order_by(PilotCall.year.desc(), PilotCall.id.desc())))


def is_public(call: PilotCall) -> bool:
    return call.status != CallStatus.DRAFT


# --- applications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationValues:
    project_name: str
    mode_id: int
    description: str
    investment: Decimal
    expected_results: str
    achieved_results: str
    #: `evidence.key_of` keys of the firm's own records.
    evidence_keys: list[str] = field(default_factory=list)
    uploads: list[FileStorage] = field(default_factory=list)


def accepting(call: PilotCall, today: date | None = None) -> bool:
    return call.status == CallStatus.OPEN and (today or local_today()) <= call.deadline


def application_of(call: PilotCall, org) -> PilotApplication | None:
    if org is None:
        return None
    return db.session.scalar(
        select(PilotApplication).where(PilotApplication.call_id == call.id, PilotApplication.organization_id == org.id)
    )


def applications_of(org) -> list[PilotApplication]:
    return list(
        db.session.scalars(
            select(PilotApplication)
            .where(PilotApplication.organization_id == org.id)
            .order_by(PilotApplication.created_at.desc(), PilotApplication.id.desc())
        )
    )


def apply(call: PilotCall, user: User, values: ApplicationValues, today: date | None = None) -> PilotApplication:
    """The user's organization applies. Raises `PilotError` or `files.FileRefused` having written
    nothing (files stored before a refusal are removed)."""
    org = user.organization
    if org is None or not org.is_enterprise:
        raise PilotError(_("只有企业可以申报。"))
    if not accepting(call, today):
        raise PilotError(_("本批次申报已截止（截止日期 %(date)s），不能再提交。", date=call.deadline.isoformat()))
    if application_of(call, org) is not None:
        raise PilotError(_("贵单位已经申报过本批次，每家单位每批次只能申报一个项目。"))
    if values.mode_id not in {mode.id for mode in call.modes}:
        raise PilotError(_("请选择本批次征集的新模式之一。"))
    if not set(values.evidence_keys) <= evidence.offered_keys(org):
        raise PilotError(_("只能附上贵单位自己在平台上的记录。"))
    uploads = [upload for upload in values.uploads if upload and upload.filename]
    if len(uploads) > MAX_FILES:
        raise PilotError(_("最多上传 %(count)d 个附件。", count=MAX_FILES))
    application = PilotApplication(
        call=call,
        organization=org,
        submitted_by=user,
        project_name=values.project_name.strip(),
        mode_id=values.mode_id,
        description=values.description.strip(),
        investment=values.investment,
        expected_results=values.expected_results.strip(),
        achieved_results=values.achieved_results.strip(),
        evidence=[
            PilotEvidence(source=EvidenceSource(source), record_id=int(record_id))
            for source, record_id in (key.split(":") for key in dict.fromkeys(values.evidence_keys))
        ],
    )
    stored = files.store_all(uploads, FILES, FILE_KINDS, MAX_FILE_BYTES)
    try:
        application.attachments = [
            PilotAttachment(
                original_name=s.original_name, stored_name=s.name, content_type=s.mimetype, size_bytes=s.size
            )
            for s in stored
        ]
        db.session.add(application)
        db.session.flush()
    except Exception:
        for item in stored:
            files.remove_stored(FILES, item.name)
        raise
    return application


# --- review ----------------------------------------------------------------------------------


def has_conflict(expert: User, application: PilotApplication) -> bool:
    return reviews.conflicted(expert, application.organization_id)


def is_assigned(user: User, application: PilotApplication) -> bool:
    return user.is_authenticated and any(a.expert_id == user.id for a in application.assignments)


def assignable(application: PilotApplication, experts: list[User]) -> list[User]:
    """The experts the admin may still assign to the application (`assign` refuses the others)."""
    return [e for e in experts if not has_conflict(e, application) and not is_assigned(e, application)]


def assign(application: PilotApplication, expert: User | None, by: User) -> PilotAssignment:
    """`expert` is None when the admin picked nobody."""
    if expert is None:
        raise PilotError(_("请选择评审专家。"))
    if application.call.status not in (CallStatus.OPEN, CallStatus.REVIEWING) or scoring_closed(application.call):
        raise PilotError(_("评审已经结束，不能再分配专家。"))
    if not expert.is_expert or not expert.active:
        raise PilotError(_("只能分配评审专家。"))
    if has_conflict(expert, application):
        raise PilotError(_("%(name)s 所在单位申报了该项目，需要回避，不能分配。", name=expert.display_name))
    if is_assigned(expert, application):
        raise PilotError(_("%(name)s 已经在评审该项目。", name=expert.display_name))
    assignment = PilotAssignment(application=application, expert=expert)
    db.session.add(assignment)
    db.session.flush()
    audit(
        by, "pilot_call.assign", application.call, None, {**_assigned(application, expert), "assignment": assignment.id}
    )
    notify(
        [expert],
        Topic.PROGRAMME,
        _l("请评审申报项目：%(project)s", project=application.project_name),
        "pilots.application",
        _l("%(call)s。评审结束前，您看不到其他专家的打分。", call=application.call.title),
        application_id=application.id,
    )
    return assignment


def _assigned(application: PilotApplication, expert: User) -> dict:
    return {"application": application.id, "project": application.project_name, "expert": expert.id}


def unassign(assignment: PilotAssignment, by: User) -> None:
    """Take an application back from an expert who has not scored it yet."""
    application = assignment.application
    if scoring_closed(application.call):
        raise PilotError(_("评审已经结束，不能再撤回分配。"))
    review = review_of(application.call)
    if application.id in reviews.own_scores(review, assignment.expert):
        raise PilotError(_("%(name)s 已经打分，不能撤回。", name=assignment.expert.display_name))
    application.assignments.remove(assignment)
    db.session.flush()
    audit(by, "pilot_call.unassign", application.call, _assigned(application, assignment.expert), None)


def assigned_to(expert: User) -> list[PilotApplication]:
    return list(
        db.session.scalars(
            select(PilotApplication)
            .join(PilotAssignment)
            .join(PilotCall)
            .where(PilotAssignment.expert_id == expert.id, PilotCall.status != CallStatus.DRAFT)
            .order_by(PilotCall.year.desc(), PilotApplication.call_id.desc(), PilotApplication.id)
        )
    )


def score(application: PilotApplication, expert: User, values: Mapping[int, int]) -> None:
    """An assigned expert's scores, one per criterion (scoring again replaces them)."""
    if not is_assigned(expert, application) or has_conflict(expert, application):
        raise PilotError(_("这个项目没有分配给您评审。"))
    if application.call.status != CallStatus.REVIEWING:
        raise PilotError(_("这个批次现在不在评审阶段。"))
    reviews.score(review_of(application.call), expert, application.id, values)


def own_scores(application: PilotApplication, expert: User) -> dict[int, int]:
    return reviews.own_scores(review_of(application.call), expert).get(application.id, {})


def ranking(call: PilotCall) -> list[tuple[PilotApplication, reviews.Ranked]]:
    """Applications by score; ties go to the heavier criteria, then to who applied first."""
    by_id = {application.id: application for application in call.applications}
    ranked = reviews.ranking(review_of(call), [(a.id, (a.created_at, a.id)) for a in by_id.values()])
    return [(by_id[r.subject_id], r) for r in ranked]


def published_result(application: PilotApplication) -> reviews.Ranked | None:
    """The application's score, shown to the applicant once the results are published."""
    if application.call.status != CallStatus.PUBLISHED:
        return None
    return next((r for a, r in ranking(application.call) if a.id == application.id), None)


def preselection(call: PilotCall) -> set[int]:
    """The current selection, or before there is one the top of the ranking up to the quota."""
    chosen = {a.id for a in call.applications if a.selected}
    if chosen:
        return chosen
    return {a.id for a, r in ranking(call) if 0 < r.rank <= call.quota}


def select_applications(call: PilotCall, application_ids: set[int], by: User) -> int:
    if call.status != CallStatus.REVIEWING or not scoring_closed(call):
        raise PilotError(_("请先结束打分，再确定入选项目。"))
    if len(application_ids) > call.quota:
        raise PilotError(
            _(
                "入选项目不能超过名额（%(quota)d 个），您选了 %(count)d 个。",
                quota=call.quota,
                count=len(application_ids),
            )
        )
    scored = {a.id for a, r in ranking(call) if r.rank}
    if not application_ids <= scored:
        raise PilotError(_("只能选择已经评分的申报项目。"))
    before = sorted(a.id for a in call.applications if a.selected)
    for application in call.applications:
        application.selected = application.id in application_ids
    db.session.flush()
    audit(by, "pilot_call.select", call, {"selected": before}, {"selected": sorted(application_ids)})
    return len(application_ids)


# --- notice, objections and publication ---------------------------------------------------------


def start_notice(call: PilotCall, ends_on: date, by: User, today: date | None = None) -> None:
    if call.status != CallStatus.REVIEWING or not scoring_closed(call):
        raise PilotError(_("请先结束打分，再开始公示。"))
    if not any(a.selected for a in call.applications):
        raise PilotError(_("还没有选择入选项目。"))
    if ends_on < (today or local_today()):
        raise PilotError(_("公示截止日期不能早于今天。"))
    call.status, call.notice_ends_on = CallStatus.NOTICE, ends_on
    db.session.flush()
    _audit_step(by, "notice", call)
    for application in call.applications:
        if application.selected:
            _tell(
                application,
                _l("“%(project)s”入选公示名单", project=application.project_name),
                _l("%(call)s，公示至 %(date)s。", call=call.title, date=ends_on.isoformat()),
            )
        else:
            _tell(application, _l("“%(project)s”未入选", project=application.project_name), call.title)


def listed(call: PilotCall) -> list[PilotApplication]:
    """The provisional list during the notice, the final one once published; nothing before."""
    if call.status not in (CallStatus.NOTICE, CallStatus.PUBLISHED):
        return []
    return [a for a in call.applications if a.selected]


def is_listed(application: PilotApplication) -> bool:
    return application.call.status in (CallStatus.NOTICE, CallStatus.PUBLISHED) and application.selected


def object_to(
    application: PilotApplication, user: User, reason: str, contact: str, today: date | None = None
) -> PilotObjection:
    call = application.call
    if (
        call.status != CallStatus.NOTICE
        or not application.selected
        or call.notice_ends_on is None  # never during a notice
        or (today or local_today()) > call.notice_ends_on
    ):
        raise PilotError(_("只能在公示期内对公示名单中的项目提出异议。"))
    if not reason.strip() or not contact.strip():
        raise PilotError(_("请写明异议理由和联系方式。"))
    objection = PilotObjection(application=application, filed_by=user, reason=reason.strip(), contact=contact.strip())
    db.session.add(objection)
    db.session.flush()
    return objection


def answer(objection: PilotObjection, by: User, text: str, withdraw: bool) -> None:
    if objection.application.call.status != CallStatus.NOTICE:
        raise PilotError(_("公示已经结束。"))
    if objection.answered_at is not None:
        raise PilotError(_("这条异议已经答复过了。"))
    if not text.strip():
        raise PilotError(_("请填写答复。"))
    objection.answer, objection.answered_at, objection.answered_by = text.strip(), utcnow(), by
    if withdraw:
        objection.upheld, objection.application.selected = True, False
        _tell(
            objection.application,
            _l("“%(project)s”因公示异议被取消入选", project=objection.application.project_name),
            objection.answer,
        )
    _tell_objector(objection)
    db.session.flush()
    audit(
        by,
        "pilot_call.answer",
        objection.application.call,
        None,
        {
            "objection": objection.id,
            "application": objection.application_id,
            "answer": objection.answer,
            "withdrawn": withdraw,
        },
    )


def _tell_objector(objection: PilotObjection) -> None:
    """The answer goes to whoever objected; a withdrawn project's page is gone, so the link is the call's."""
    application = objection.application
    title = _l("您对“%(project)s”提出的异议已有答复", project=application.project_name)
    if is_listed(application):
        notify(
            [objection.filed_by],
            Topic.PROGRAMME,
            title,
            "pilots.project",
            objection.answer,
            application_id=application.id,
        )
    else:
        detail = _l("异议成立，该项目已取消入选。%(answer)s", answer=objection.answer)
        notify([objection.filed_by], Topic.PROGRAMME, title, "pilots.call", detail, call_id=application.call_id)


def objections_seen_by(application: PilotApplication, user: User) -> list[PilotObjection]:
    """An application's objections with their answers: admins see them all, whoever objected
    sees their own, nobody else sees any."""
    if not user.is_authenticated:
        return []
    query = select(PilotObjection).where(PilotObjection.application_id == application.id)
    if not user.is_admin:
        query = query.where(PilotObjection.filed_by_id == user.id)
    return list(db.session.scalars(query.order_by(PilotObjection.id)))


def upheld_objections_by(call: PilotCall, user: User) -> list[PilotObjection]:
    """The objections `user` raised that took a project of `call` off the list: its page is gone,
    so the call's page shows them with their answers (to their author only)."""
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(PilotObjection)
            .join(PilotApplication)
            .where(
                PilotApplication.call_id == call.id,
                PilotObjection.filed_by_id == user.id,
                PilotObjection.upheld.is_(True),
            )
            .order_by(PilotObjection.id)
        )
    )


def objections_of(call: PilotCall) -> list[PilotObjection]:
    return list(
        db.session.scalars(
            select(PilotObjection)
            .join(PilotApplication)
            .where(PilotApplication.call_id == call.id)
            .order_by(PilotObjection.id)
        )
    )


def publish(call: PilotCall, by: User, today: date | None = None, demo: bool = False) -> int:
    """Publish the final list and count each selected firm in the ledger; returns how many."""
    today = today or local_today()
    if call.status != CallStatus.NOTICE or call.notice_ends_on is None:  # (never None during a notice)
        raise PilotError(_("只有公示中的批次可以公布。"))
    if today < call.notice_ends_on:
        raise PilotError(_("公示期到 %(date)s 结束，之后才能公布。", date=call.notice_ends_on.isoformat()))
    if any(o.answered_at is None for o in objections_of(call)):
        raise PilotError(_("还有未答复的异议，请先答复。"))
    call.status, call.published_on = CallStatus.PUBLISHED, today
    reviews.publish(review_of(call))
    for application in listed(call):
        _tell(application, _l("“%(project)s”正式入选", project=application.project_name), call.title)
    _audit_step(by, "publish", call)
    return record_selection(call, by, demo)


def _tell(application: PilotApplication, title: str, detail: str) -> None:
    notify(
        members(application.organization),
        Topic.PROGRAMME,
        title,
        "pilots.application",
        detail,
        application_id=application.id,
    )


def record_selection(call: PilotCall, by: User | None, demo: bool = False) -> int:
    """Announce a published call's list; returns how many of its firms the receivers counted for
    the first time (the ledger counts each once: calling it again adds nothing)."""
    assert call.published_on is not None, "only a published call's selection is counted"
    sent = signals.pilot_list_published.send(
        call, selected=listed(call), on=call.published_on, programme=call.kind.value, by=by, demo=demo
    )
    db.session.flush()
    return sum(counted for _receiver, counted in sent if counted)


def selected_count(kind: CallKind, start: date, end: date) -> int:
    """Selected projects of calls published between the two dates (the plan's indicators)."""
    return (
        db.session.scalar(
            select(func.count(PilotApplication.id))
            .join(PilotCall)
            .where(
                PilotCall.kind == kind,
                PilotCall.status == CallStatus.PUBLISHED,
                PilotApplication.selected.is_(True),
                PilotCall.published_on >= start,
                PilotCall.published_on <= end,
            )
        )
        or 0
    )
