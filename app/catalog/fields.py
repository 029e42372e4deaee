"""Form fields other domains use to point at the taxonomy and the scenario list."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectMultipleField

# SelectChoice is new in WTForms 3.3, which types-WTForms (3.2) does not cover yet
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput

from app.catalog.models import Scenario, ScenarioStatus
from app.core.forms import LineField, select_choices
from app.core.imports import split_list
from app.extensions import db
from app.taxonomy.models import ScenarioCategory
from app.taxonomy.services import entries

MAX_SCENARIOS = 10
#: ScenarioCodesField's help text (a module constant only because the msgid is too long to sit inside the class).
_CODES_DESCRIPTION = _l(
    "场景清单中的场景编号（如 QD-2022-0001），多个用“、”分隔，最多 10 个；用下面的搜索框查找后点击即可添加。"
)


def taxonomy_choices(model: type, current: list | None = None) -> list:
    """Active entries (and those the record already has) for a select."""
    items = [entry for entry in entries(model) if entry.is_active or entry in (current or [])]
    return select_choices(
        [
            (entry.id, entry.display_name() if entry.is_active else _("%(name)s（已停用）", name=entry.display_name()))
            for entry in items
        ]
    )


def subcategory_choices(current: list | None = None) -> list:
    """Sub-categories grouped by their category."""
    out = []
    for category in entries(ScenarioCategory):
        for sub in category.subcategories:
            if sub.is_active or sub in (current or []):
                out.append(SelectChoice(sub.id, sub.display_name(), optgroup=category.display_name()))
    return out


class MultiTaxonomyField(SelectMultipleField):
    """Several taxonomy entries by id; `entries_for(model)` turns the data into the entries.
    Templates show a short list as checkboxes (`checkbox_group`), a long one as a select."""

    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("render_kw", {"size": 8})
        super().__init__(label, validators, **kwargs)

    def entries_for(self, model: type) -> list:
        ids = set(self.data or [])
        return [entry for entry in entries(model) if entry.id in ids]


class ScenarioCodesField(LineField):
    """Codes of published scenarios, separated by 、 , ; or /; `scenarios` holds them after validation."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("description", _CODES_DESCRIPTION)
        super().__init__(label, validators, **kwargs)
        self.scenarios: list[Scenario] = []

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        codes = list(dict.fromkeys(split_list(self.data or "")))
        if len(codes) > MAX_SCENARIOS:
            raise ValidationError(_l("最多关联 %(max)d 个场景。", max=MAX_SCENARIOS))
        found = (
            {
                s.code: s
                for s in db.session.scalars(
                    select(Scenario).where(Scenario.code.in_(codes), Scenario.status == ScenarioStatus.PUBLISHED)
                )
            }
            if codes
            else {}
        )
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValidationError(_l("找不到已发布的场景：%(codes)s。", codes=_("、").join(missing)))
        self.scenarios = [found[code] for code in codes]

    def process_data(self, value) -> None:
        """A record's scenarios become their codes."""
        if isinstance(value, list):
            value = "、".join(scenario.code for scenario in value)
        self.data = value or ""
