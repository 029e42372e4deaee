"""Forms of the statistics domain: the dashboard's filters, a manual enablement, a reversal,
plans, indicator targets and reported figures."""

import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, DecimalField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.accounts.models import Organization
from app.core import data_version
from app.core.forms import LineField, select_choices
from app.core.i18n import current_language
from app.extensions import db
from app.stats.importing import EARLIEST, Organizations
from app.stats.indicators import COMPUTATIONS
from app.stats.models import EnablementKind, IndicatorKind
from app.taxonomy.models import District, Industry
from app.taxonomy.services import entries


def _kind_choices(manual_only: bool = False) -> list:
    stmt = select(EnablementKind).where(EnablementKind.is_active.is_(True)).order_by(EnablementKind.position)
    if manual_only:
        stmt = stmt.where(EnablementKind.manual.is_(True))
    return [(kind.code, kind.display_name()) for kind in db.session.scalars(stmt)]


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The dashboard filters' districts, industries and kinds: read once per data version and
    language, as every view of the dashboard builds the form."""
    return data_version.cached(
        "stats.filter_choices",
        lambda: {
            "district": [(d.code, d.display_name()) for d in entries(District, include_inactive=False)],
            "industry": [(i.code, i.display_name()) for i in entries(Industry, include_inactive=False)],
            "kind": _kind_choices(),
        },
        current_language(),
    )


class FilterForm(FlaskForm):
    """The dashboard's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    start = DateField(_l("起始日期"), validators=[Optional()], name="from")
    end = DateField(_l("截止日期"), validators=[Optional()], name="to")
    district = SelectField(_l("区市"), validators=[Optional()])
    industry = SelectField(_l("行业"), validators=[Optional()])
    kind = SelectField(_l("赋能类型"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _l("全部"))]
        for name, pairs in _filter_choices().items():
            getattr(self, name).choices = select_choices(everything + pairs)

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("截止日期不能早于起始日期。"))


class OrganizationField(LineField):
    """A registered organization's name or credit code. With `registered_organization` among its
    validators, the organization found is its `organization` once the form validated."""

    organization: Organization


def registered_organization(field) -> None:
    """A field validator: the registered organization named (or credit-coded) in the field, kept as
    `field.organization`."""
    if field.data:
        value = field.data.strip()
        org, problem = Organizations([value]).find(value)
        if problem:
            raise ValidationError(str(problem))
        field.organization = org


class ManualEnablementForm(FlaskForm):
    # Generated when the form is first shown: submitting the same form twice counts once.
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
    firm = OrganizationField(
        _l("被赋能企业"),
        validators=[DataRequired(message=_l("请填写企业。")), Length(max=100)],
        description=_l("已在平台注册的单位全称或统一社会信用代码。"),
    )
    # invalid_choice_message is new in WTForms 3.3, which types-WTForms (3.2) does not cover yet
    kind = SelectField(  # type: ignore[call-arg]
        _l("赋能类型"),
        validators=[DataRequired(message=_l("请选择赋能类型。"))],
        invalid_choice_message=_l("只能手工登记诊断咨询或培训等类型，请从列表中选择。"),
    )
    occurred_on = DateField(_l("发生日期"), validators=[DataRequired(message=_l("请填写日期，格式如 2026-05-18。"))])
    provider = LineField(
        _l("服务商"),
        validators=[Optional(), Length(max=100)],
        description=_l("提供服务的单位（可不填）：单位全称或统一社会信用代码。"),
    )
    programme = LineField(_l("项目或活动"), validators=[Optional(), Length(max=100)])
    evidence = TextAreaField(
        _l("证明材料"),
        validators=[DataRequired(message=_l("请说明证明材料，例如诊断报告编号、签到表或合同编号。")), Length(max=500)],
    )
    note = TextAreaField(_l("备注"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("登记"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices([("", _l("请选择")), *_kind_choices(manual_only=True)])
        if not self.token.data:
            self.token.data = secrets.token_urlsafe(18)

    def validate_firm(self, field) -> None:
        registered_organization(field)

    def validate_provider(self, field) -> None:
        registered_organization(field)
        firm = getattr(self.firm, "organization", None)
        if firm is not None and getattr(field, "organization", None) is firm:
            raise ValidationError(_l("服务商不能是被赋能的企业本身。"))

    def validate_occurred_on(self, field) -> None:
        if field.data and not EARLIEST <= field.data <= date.today():
            raise ValidationError(_l("日期须在 2000-01-01 与今天之间。"))


class ReverseForm(FlaskForm):
    reason = LineField(_l("冲销原因"), validators=[DataRequired(message=_l("请填写冲销原因。")), Length(max=500)])
    submit = SubmitField(_l("冲销这条记录"))


class IndicatorForm(FlaskForm):
    name = LineField(_l("指标名称"), validators=[DataRequired(message=_l("请填写指标名称。")), Length(max=100)])
    name_en = LineField(_l("英文名称"), validators=[Optional(), Length(max=200, message=_l("不超过 200 个字符。"))])
    unit = LineField(_l("单位"), validators=[DataRequired(message=_l("请填写单位。")), Length(max=20)])
    unit_en = LineField(
        _l("英文单位"),
        description=_l("如 firms、projects；不填时英文页面显示中文单位。"),
        validators=[Optional(), Length(max=40, message=_l("不超过 40 个字符。"))],
    )
    target = DecimalField(
        _l("目标值"),
        places=2,
        validators=[
            InputRequired(message=_l("请填写目标值。")),
            NumberRange(min=0.01, max=10**13, message=_l("目标值须大于 0。")),
        ],
    )
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("保存"))


class NewIndicatorForm(IndicatorForm):
    code = LineField(
        _l("指标代码"),
        validators=[
            DataRequired(message=_l("请填写指标代码。")),
            Regexp(r"^[a-z][a-z0-9_]{1,39}$", message=_l("代码用小写字母、数字和下划线，以字母开头。")),
        ],
    )
    kind = SelectField(
        _l("数据来源"),
        choices=select_choices(
            [(IndicatorKind.REPORTED.value, _l("人工填报")), (IndicatorKind.COMPUTED.value, _l("平台自动统计"))]
        ),
    )
    submit = SubmitField(_l("添加指标"))

    def validate_code(self, field) -> None:
        if self.kind.data == IndicatorKind.COMPUTED.value and field.data not in COMPUTATIONS:
            raise ValidationError(_l("平台能自动统计的指标代码：%(codes)s。", codes="、".join(COMPUTATIONS)))


class PlanForm(FlaskForm):
    name = LineField(_l("计划名称"), validators=[DataRequired(message=_l("请填写计划名称。")), Length(max=200)])
    name_en = LineField(_l("英文名称"), validators=[Optional(), Length(max=300, message=_l("不超过 300 个字符。"))])
    starts_on = DateField(_l("开始日期"), validators=[DataRequired(message=_l("请填写日期，格式如 2026-05-18。"))])
    ends_on = DateField(_l("结束日期"), validators=[DataRequired(message=_l("请填写日期，格式如 2026-05-18。"))])
    submit = SubmitField(_l("保存"))


class SuccessorPlanForm(PlanForm):
    submit = SubmitField(_l("新建后续计划"))


class ReportValueForm(FlaskForm):
    value = DecimalField(
        _l("完成值"),
        places=2,
        validators=[
            InputRequired(message=_l("请填写完成值。")),
            NumberRange(min=0, max=10**13, message=_l("完成值不能为负。")),
        ],
    )
    as_of = DateField(_l("截至日期"), validators=[DataRequired(message=_l("请填写截至日期。"))])
    source = LineField(
        _l("数据来源"), validators=[DataRequired(message=_l("请填写数据来源，例如文件名或部门。")), Length(max=200)]
    )
    submit = SubmitField(_l("填报"))

    def validate_as_of(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("截至日期不能晚于今天。"))
