"""A small ledger whose every figure was computed by hand (see `FIGURES`)."""

from datetime import date

import pytest

from app.accounts.models import OrgKind
from app.extensions import db
from app.stats.ledger import record_enablement, reverse
from app.stats.models import Enablement
from app.taxonomy.models import District


def district(code: str) -> District:
    return db.session.scalar(db.select(District).where(District.code == code))


@pytest.fixture
def ledger(app, make_org, make_user):
    """Firms A and C in 崂山 (LS), B moved to 即墨 (JM) between its two enablements; providers P and Q.

    | firm | kind      | date       | provider | district | delta |
    | A    | deal      | 2026-01-10 | P        | LS       | +1    |
    | A    | event     | 2026-02-03 |          | LS       | +1    |
    | A    | diagnosis | 2026-02-20 | P        | LS       | +1    |
    | A    | diagnosis | 2026-02-20 | P        | LS       | -1 (reverses the row above)
    | B    | meeting   | 2026-01-15 | Q        | LS       | +1    |
    | B    | training  | 2026-03-05 |          | JM       | +1    |
    | C    | event     | 2026-02-03 |          | LS       | +1    |
    | D    | training  | 2026-03-06 |          | LS       | +1, then reversed: D is not served
    """
    firms = {name: make_org(name=f"企业{name}") for name in "ABCD"}
    providers = {name: make_org(name=f"服务商{name}", kind=OrgKind.PROVIDER) for name in "PQ"}
    admin = make_user("ledger-admin@example.com")

    def add(firm, kind, day, source, provider=None):
        return record_enablement(
            firm=firms[firm],
            kind=kind,
            source_type="test",
            source_id=source,
            occurred_on=date.fromisoformat(day),
            provider=providers[provider] if provider else None,
            recorded_by=admin,
        ).row

    add("A", "deal", "2026-01-10", "deal-1", "P")
    add("A", "event", "2026-02-03", "event-1")
    reverse(add("A", "diagnosis", "2026-02-20", "diag-1", "P"), by=admin, reason="重复登记")
    add("B", "meeting", "2026-01-15", "meeting-1", "Q")
    firms["B"].district = district("JM")
    db.session.flush()
    add("B", "training", "2026-03-05", "training-1")
    add("C", "event", "2026-02-03", "event-1")
    reverse(add("D", "training", "2026-03-06", "training-2"), by=admin, reason="误登")
    db.session.commit()
    return firms, providers, admin


# Hand-computed from the table above.
FIGURES = {
    "firm_times": 5,
    "firms": 3,
    "months": {"2026-01": 2, "2026-02": 2, "2026-03": 1 + 1 - 1},
    "districts": {"LS": 4, "JM": 1},
    "kinds": {"deal": 1, "event": 2, "meeting": 1, "training": 1, "diagnosis": 0},
    "providers": [("服务商P", 1), ("服务商Q", 1)],
}


def rows() -> list[Enablement]:
    return list(db.session.scalars(db.select(Enablement).order_by(Enablement.id)))
