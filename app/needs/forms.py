"""Forms for posting and moderating needs."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import EmailInput

from app.catalog.fields import MultiTaxonomyField, ScenarioCodesField, subcategory_choices, taxonomy_choices
from app.core.forms import LineField, required_data, select_choices
from app.core.validators import is_valid_phone, normalize_phone
from app.taxonomy.models import District, Industry, ScenarioSubcategory, TechDomain

MAX_BUDGET = 1_000_000  # 万元


class NeedForm(FlaskForm):
    title = LineField(
        _l("需求标题"),
        validators=[DataRequired(message=_l("请填写需求标题。")), Length(max=100, message=_l("不超过 100 个字符。"))],
    )
    description = TextAreaField(
        _l("需求描述"),
        validators=[DataRequired(message=_l("请描述需求：现状、想解决的问题、期望的效果。")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    industry_id = SelectField(_l("所属行业"), coerce=int)
    domains = MultiTaxonomyField(_l("技术领域"), validators=[DataRequired(message=_l("请至少选择一个技术领域。"))])
    subcategories = MultiTaxonomyField(_l("场景小类"), description=_l("可多选（按住 Ctrl 或 ⌘ 点选），可不选。"))
    scenarios = ScenarioCodesField(_l("相关场景"))
    budget_min = DecimalField(
        _l("预算下限（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=MAX_BUDGET, message=_l("请填写 0 到 1,000,000 之间的金额。"))],
    )
    budget_max = DecimalField(
        _l("预算上限（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=MAX_BUDGET, message=_l("请填写 0 到 1,000,000 之间的金额。"))],
    )
    budget_negotiable = BooleanField(_l("预算面议"))
    starts_on = DateField(_l("期望开始日期"), validators=[Optional()])
    deadline_on = DateField(_l("截止日期"), validators=[Optional()])
    district_id = SelectField(_l("所在区市"), coerce=int)
    contact_person = LineField(_l("联系人"), validators=[DataRequired(message=_l("请填写联系人。")), Length(max=50)])
    contact_phone = LineField(_l("联系电话"), validators=[DataRequired(message=_l("请填写联系电话。")), Length(max=30)])
    contact_email = LineField(
        _l("联系邮箱"),
        widget=EmailInput(),
        validators=[Optional(), Email(message=_l("邮箱格式不正确。")), Length(max=254)],
    )
    show_person = BooleanField(_l("向已登录的企业和服务商公开联系人"))
    show_phone = BooleanField(_l("公开联系电话"))
    show_email = BooleanField(_l("公开联系邮箱"))
    save = SubmitField(_l("保存草稿"))
    submit_for_review = SubmitField(_l("保存并提交审核"))

    def __init__(self, *args, need=None, **kwargs):
        super().__init__(*args, obj=need, **kwargs)
        current = need or None
        self.industry_id.choices = taxonomy_choices(Industry, [current.industry] if current else None)
        self.district_id.choices = select_choices([(0, _l("不限"))]) + taxonomy_choices(
            District, [current.district] if current and current.district else None
        )
        self.domains.choices = taxonomy_choices(TechDomain, current.domains if current else None)
        self.subcategories.choices = subcategory_choices(current.subcategories if current else None)
        if need is not None and not self.is_submitted():
            self.domains.data = [d.id for d in need.domains]
            self.subcategories.data = [s.id for s in need.subcategories]
            self.district_id.data = need.district_id or 0

    def validate_budget_max(self, field) -> None:
        low, high = self.budget_min.data, field.data
        if low is not None and high is not None and low > high:
            raise ValidationError(_l("预算上限不能低于下限。"))

    def validate_budget_negotiable(self, field) -> None:
        if not field.data and self.budget_min.data is None and self.budget_max.data is None:
            raise ValidationError(_l("请填写预算范围，或勾选“预算面议”。"))

    def validate_deadline_on(self, field) -> None:
        if field.data and field.data < date.today():
            raise ValidationError(_l("截止日期不能早于今天。"))
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("截止日期不能早于期望开始日期。"))

    def validate_contact_phone(self, field) -> None:
        if not is_valid_phone(field.data or ""):
            raise ValidationError(_l("请填写有效的手机或固定电话号码。"))

    def values(self) -> dict:
        negotiable = bool(self.budget_negotiable.data)
        return {
            "title": required_data(self.title).strip(),
            "description": required_data(self.description).strip(),
            "industry_id": self.industry_id.data,
            "district_id": self.district_id.data or None,
            "domains": self.domains.entries_for(TechDomain),
            "subcategories": self.subcategories.entries_for(ScenarioSubcategory),
            "scenarios": self.scenarios.scenarios,
            "budget_min": self.budget_min.data,
            "budget_max": self.budget_max.data,
            "budget_negotiable": negotiable,
            "starts_on": self.starts_on.data,
            "deadline_on": self.deadline_on.data,
            "contact_person": required_data(self.contact_person).strip(),
            "contact_phone": normalize_phone(required_data(self.contact_phone)),
            "contact_email": (self.contact_email.data or "").strip().lower(),
            "show_person": bool(self.show_person.data),
            "show_phone": bool(self.show_phone.data),
            "show_email": bool(self.show_email.data),
        }
