"""The only way into the enablement ledger.

`record_enablement` counts a firm once per kind and source, however often it is called (a
unique constraint backs the check, so two workers racing still count once); `reverse` adds the
row that cancels another. Nothing updates or deletes a ledger row: the ORM refuses to (the
listeners at the end of this module), and a test proves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import Organization, User
from app.core.audit import audit
from app.core.domain_error import DomainError
from app.extensions import db
from app.stats.models import Enablement, EnablementKind


class LedgerError(DomainError):
    """A ledger rule was broken; the message is for the admin who tried."""


class ImmutableLedger(RuntimeError):
    pass


@dataclass(frozen=True)
class Recorded:
    row: Enablement
    created: bool


def kind_by_code(code: str) -> EnablementKind:
    kind = db.session.scalar(select(EnablementKind).where(EnablementKind.code == code))
    if kind is None:
        raise LedgerError(f"unknown enablement kind {code!r}")
    return kind


def _existing(kind: EnablementKind, source_type: str, source_id: str, firm: Organization) -> Enablement | None:
    return db.session.scalar(
        select(Enablement).where(
            Enablement.kind_id == kind.id,
            Enablement.source_type == source_type,
            Enablement.source_id == source_id,
            Enablement.firm_id == firm.id,
            Enablement.delta == 1,
        )
    )


def record_enablement(
    *,
    firm: Organization,
    kind: EnablementKind | str,
    source_type: str,
    source_id: str | int,
    occurred_on: date,
    provider: Organization | None = None,
    programme: str = "",
    recorded_by: User | None = None,
    note: str = "",
    evidence: str = "",
    demo: bool = False,
) -> Recorded:
    """Count `firm` as enabled by this source (flushed, not committed: the caller's transaction
    decides). Calling it again for the same source, firm and kind returns the first row."""
    if isinstance(kind, str):
        kind = kind_by_code(kind)
    source_id = str(source_id)
    if not source_type or not source_id:
        raise LedgerError("an enablement needs its source")
    if provider is not None and provider.id == firm.id:
        raise LedgerError("a firm does not enable itself")
    existing = _existing(kind, source_type, source_id, firm)
    if existing is not None:
        return Recorded(existing, False)
    row = Enablement(
        firm=firm,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        occurred_on=occurred_on,
        provider=provider,
        programme=programme,
        district_id=firm.district_id,
        industry_id=firm.industry_id,
        recorded_by=recorded_by,
        note=note,
        evidence=evidence,
        demo=demo,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another transaction recorded it first
        existing = _existing(kind, source_type, source_id, firm)
        if existing is None:
            raise
        return Recorded(existing, False)
    return Recorded(row, True)


def record_manual(
    *,
    firm: Organization,
    kind: EnablementKind | str,
    token: str,
    occurred_on: date,
    provider: Organization | None,
    programme: str,
    by: User,
    note: str,
    evidence: str,
) -> Recorded:
    """An admin's enablement from the 手工登记 form, audited. The form's one-time `token` is the
    source, so the same form sent twice returns the first row and records nothing."""
    result = record_enablement(
        firm=firm,
        kind=kind,
        source_type="manual",
        source_id=token,
        occurred_on=occurred_on,
        provider=provider,
        programme=programme.strip(),
        recorded_by=by,
        note=note.strip(),
        evidence=evidence.strip(),
    )
    if result.created:
        row = result.row
        audit(
            by,
            "enablement.record",
            row,
            None,
            {"firm": row.firm.name, "kind": row.kind.code, "occurred_on": row.occurred_on.isoformat()},
        )
    return result


def reverse(row: Enablement, *, by: User | None, reason: str) -> Enablement:
    """Cancel a counted enablement with a row of its own (flushed, not committed), audited when an
    admin (`by`) does it."""
    if row.is_reversal or reversal_of(row) is not None:
        raise LedgerError(_("这条记录不能冲销：它本身是冲销记录，或已被冲销。"))
    if not reason.strip():
        raise LedgerError(_("请填写冲销原因。"))
    reversal = Enablement(
        firm_id=row.firm_id,
        provider_id=row.provider_id,
        programme=row.programme,
        kind_id=row.kind_id,
        source_type=row.source_type,
        source_id=row.source_id,
        occurred_on=row.occurred_on,
        district_id=row.district_id,
        industry_id=row.industry_id,
        delta=-1,
        reverses=row,
        recorded_by=by,
        note=reason.strip(),
        demo=row.demo,
    )
    db.session.add(reversal)
    db.session.flush()
    if by is not None:
        audit(by, "enablement.reverse", reversal, None, {"reverses": row.id, "reason": reversal.note})
    return reversal


def reversal_of(row: Enablement) -> Enablement | None:
    return db.session.scalar(select(Enablement).where(Enablement.reverses_id == row.id))


def _refuse(*args) -> None:
    raise ImmutableLedger("ledger rows are never changed: record a reversal instead")


event.listen(Enablement, "before_update", _refuse)
event.listen(Enablement, "before_delete", _refuse)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if (
        (state.is_update or state.is_delete)
        and state.bind_mapper is not None
        and state.bind_mapper.class_ is Enablement
    ):
        _refuse()
