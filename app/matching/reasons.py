"""The reasons shown with a recommendation, in the visitor's language (taxonomy names too)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.bilingual import localized

SEPARATOR = " · "
#: A text at least this alike (relative to the best match among the candidates) is said to be.
ALIKE = 0.5


def shared_reasons(shared: dict[str, list], text: float) -> list[str]:
    """What a candidate shares with what it was found for, the strongest kinds first."""
    reasons = []
    if shared.get("industry"):
        reasons.append(_("同属%(industry)s", industry=_names(shared["industry"])))
    if shared.get("subcategory"):
        reasons.append(_("覆盖%(subcategories)s", subcategories=_names(shared["subcategory"])))
    if shared.get("domain"):
        reasons.append(_("涉及%(domains)s", domains=_names(shared["domain"])))
    scenarios = shared.get("scenario") or []
    if len(scenarios) == 1:
        reasons.append(_("针对场景“%(title)s”", title=scenarios[0].title))
    elif scenarios:
        reasons.append(ngettext("针对%(num)d个相同场景", "针对%(num)d个相同场景", len(scenarios)))
    if text >= ALIKE:
        reasons.append(_("描述相近"))
    return reasons


def _names(entries) -> str:
    return _("、").join(localized(entry) for entry in entries)
