"""Forms for editing the taxonomy."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.catalog.batches import find_batch
from app.catalog.services import code_taken
from app.core.forms import LineField, select_choices
from app.taxonomy.models import District, ScenarioCategory, ScenarioSubcategory, TechDomain
from app.taxonomy.services import choices


class TaxonomyEntryForm(FlaskForm):
    code = LineField(
        _l("代码"),
        validators=[
            DataRequired(message=_l("请输入代码。")),
            Length(max=20, message=_l("不超过 20 个字符。")),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", message=_l("代码只能包含字母、数字、- 和 _。")),
        ],
        description=_l("稳定标识，创建后不可修改。"),
    )
    name = LineField(
        _l("名称"),
        validators=[DataRequired(message=_l("请输入名称。")), Length(max=60, message=_l("不超过 60 个字符。"))],
    )
    name_en = LineField(_l("英文名称"), validators=[Optional(), Length(max=120, message=_l("不超过 120 个字符。"))])
    new_mode = BooleanField(_l("属于“六化”新模式"))
    manual = BooleanField(_l("管理员可手工登记"), description=_l("勾选后可在“登记赋能”和批量导入中选择。"))
    category_id = SelectField(_l("所属大类"), coerce=int)
    aliases = LineField(
        _l("别名"),
        validators=[Optional(), Length(max=200, message=_l("不超过 200 个字符。"))],
        description=_l("导入时也认这些名称，用“、”分隔，如：黄岛、西海岸。"),
    )
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, model: type, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = model
        if entry is not None:
            del self.code
        if model is not TechDomain:
            del self.new_mode
        if model is not District:
            del self.aliases
        if not hasattr(model, "manual"):
            del self.manual
        if model is ScenarioSubcategory:
            self.category_id.choices = select_choices(choices(ScenarioCategory, entry and entry.category_id))
        else:
            del self.category_id

    def validate_code(self, field):
        if code_taken(self.model, field.data):
            raise ValidationError(_l("该代码已存在。"))

    def values(self) -> dict:
        fields = ("name", "name_en", "new_mode", "category_id", "aliases", "manual")
        return {
            f: (self[f].data.strip() if isinstance(self[f].data, str) else self[f].data) for f in fields if f in self
        }


class BatchForm(FlaskForm):
    name = LineField(
        _l("批次名称"),
        validators=[DataRequired(message=_l("请输入批次名称。")), Length(max=60, message=_l("不超过 60 个字符。"))],
        description=_l("如：2024年第二批"),
    )
    year = IntegerField(
        _l("年份"),
        validators=[
            DataRequired(message=_l("请输入年份。")),
            NumberRange(min=2000, max=2100, message=_l("请输入有效的年份。")),
        ],
    )
    notes = TextAreaField(_l("发布说明"), validators=[Optional(), Length(max=5000, message=_l("不超过 5000 个字符。"))])
    submit = SubmitField(_l("创建批次"))

    def validate_name(self, field):
        if find_batch(field.data):
            raise ValidationError(_l("已有同名批次。"))
