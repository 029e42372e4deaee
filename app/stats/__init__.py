"""Enablement statistics: the ledger, the plan's indicators, the dashboard and reports."""

from flask_babel import lazy_gettext as _l

from app.catalog.services import TaxonomyKind, register_kind
from app.stats import subscriptions
from app.stats.models import EnablementKind


def init_stats() -> None:
    """Enablement kinds are edited with the taxonomy (管理后台 → 分类体系); the ledger counts what the
    domains' signals say happened."""
    register_kind(TaxonomyKind("enablement-kinds", EnablementKind, _l("赋能类型")))
    subscriptions.subscribe()
