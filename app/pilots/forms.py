"""Forms of pilot selection: the admin's call, a firm's application, the notice and objections."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.catalog.fields import MultiTaxonomyField
from app.core.files import format_size
from app.core.forms import LineField, MultiCheckboxField, required_data, select_choices
from app.pilots import services
from app.pilots.evidence import Shown
from app.pilots.models import CallKind, CallStatus, PilotApplication, PilotCall
from app.reviews.forms import criteria_field, criteria_text, parse_criteria
from app.taxonomy.models import TechDomain

KIND_LABELS = {CallKind.PILOT: _l("试点示范项目"), CallKind.DEMO_CASE: _l("示范案例")}
STATUS_LABELS = {
    CallStatus.DRAFT: _l("草稿"),
    CallStatus.OPEN: _l("申报中"),
    CallStatus.REVIEWING: _l("评审中"),
    CallStatus.NOTICE: _l("公示中"),
    CallStatus.PUBLISHED: _l("已公布"),
}
DEFAULT_CRITERIA = "创新性 30\n示范带动性 30\n实施成效 25\n推广价值 15"


class CallForm(FlaskForm):
    kind = SelectField(_l("类别"), choices=select_choices((k.value, label) for k, label in KIND_LABELS.items()))
    year = IntegerField(
        _l("年度"),
        validators=[
            InputRequired(message=_l("请填写年度。")),
            NumberRange(min=2020, max=2100, message=_l("请填写正确的年度。")),
        ],
    )
    title = LineField(_l("标题"), validators=[DataRequired(message=_l("请填写标题。")), Length(max=100)])
    description = TextAreaField(
        _l("申报通知"),
        validators=[DataRequired(message=_l("请填写申报通知。")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    deadline = DateField(
        _l("申报截止日期"), validators=[DataRequired(message=_l("请填写截止日期，格式如 2026-05-18。"))]
    )
    quota = IntegerField(
        _l("入选名额"),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_l("名额应在 1 到 1000 之间。"))],
        description=_l("不填时试点示范项目为 100 个，示范案例为 10 个。"),
    )
    modes = MultiTaxonomyField(_l("征集的新模式"), validators=[DataRequired(message=_l("请至少选择一种新模式。"))])
    criteria = criteria_field()
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.modes.choices = select_choices((mode.id, mode.display_name()) for mode in services.new_modes())

    @classmethod
    def of(cls, call: PilotCall | None) -> "CallForm":
        if call is None:
            return cls(data={"criteria": DEFAULT_CRITERIA})
        form = cls(obj=call, kind=call.kind.value)
        if not form.is_submitted():
            form.modes.data = [mode.id for mode in call.modes]
            form.criteria.data = criteria_text(services.review_of(call))
        return form

    def validate_criteria(self, field) -> None:
        self.parsed = parse_criteria(field.data)

    def values(self) -> services.CallValues:
        kind = CallKind(self.kind.data)
        return services.CallValues(
            kind=kind,
            year=required_data(self.year),
            title=required_data(self.title),
            description=required_data(self.description),
            deadline=required_data(self.deadline),
            quota=self.quota.data or services.QUOTAS[kind],
            modes=self.modes.entries_for(TechDomain),
            criteria=self.parsed,
        )


class ApplicationForm(FlaskForm):
    project_name = LineField(_l("项目名称"), validators=[DataRequired(message=_l("请填写项目名称。")), Length(max=100)])
    mode_id = SelectField(_l("新模式"), coerce=int, validators=[DataRequired(message=_l("请选择新模式。"))])
    description = TextAreaField(
        _l("项目简介"),
        validators=[DataRequired(message=_l("请填写项目简介。")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    investment = DecimalField(
        _l("项目投资（万元）"),
        places=2,
        validators=[
            InputRequired(message=_l("请填写项目投资。")),
            NumberRange(min=0, max=1_000_000, message=_l("投资额应在 0 到 1,000,000 万元之间。")),
        ],
    )
    expected_results = TextAreaField(
        _l("预期成效"),
        validators=[DataRequired(message=_l("请填写预期成效。")), Length(max=3000)],
        render_kw={"rows": 3},
    )
    achieved_results = TextAreaField(_l("已取得成效"), validators=[Length(max=3000)], render_kw={"rows": 3})
    evidence = MultiCheckboxField(
        _l("平台上的记录"),
        description=_l(
            "勾选要附在申报中的贵单位记录（年度数据、孵化培育、签约洽谈、活动和大赛成绩），专家评审时可以看到。"
        ),
    )
    files = MultipleFileField(
        _l("附件"),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
        description=_l(
            "PDF、PNG 或 JPEG，单个不超过 %(size)s，最多 %(count)d 个。",
            size=format_size(services.MAX_FILE_BYTES),
            count=services.MAX_FILES,
        ),
    )
    submit = SubmitField(_l("提交申报"))

    def __init__(self, call: PilotCall, evidence: list[Shown], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode_id.choices = select_choices((mode.id, mode.display_name()) for mode in call.modes)
        self.evidence.choices = select_choices((item.key, item.summary) for item in evidence)
        self.origins = {item.key: item.origin for item in evidence}

    def values(self) -> services.ApplicationValues:
        return services.ApplicationValues(
            project_name=required_data(self.project_name),
            mode_id=self.mode_id.data,
            description=required_data(self.description),
            investment=required_data(self.investment),
            expected_results=required_data(self.expected_results),
            achieved_results=self.achieved_results.data or "",
            evidence_keys=list(self.evidence.data or []),
            uploads=list(self.files.data or []),
        )


class NoticeForm(FlaskForm):
    ends_on = DateField(
        _l("公示截止日期"), validators=[DataRequired(message=_l("请填写公示截止日期，格式如 2026-05-18。"))]
    )
    submit = SubmitField(_l("开始公示"))


class ObjectionForm(FlaskForm):
    reason = TextAreaField(
        _l("异议理由"),
        validators=[DataRequired(message=_l("请写明异议理由。")), Length(max=2000)],
        render_kw={"rows": 4},
    )
    contact = LineField(
        _l("联系方式"), validators=[DataRequired(message=_l("请留下联系方式，以便核实。")), Length(max=100)]
    )
    submit = SubmitField(_l("提交异议"))


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("答复"), validators=[DataRequired(message=_l("请填写答复。")), Length(max=2000)], render_kw={"rows": 3}
    )
    withdraw = BooleanField(_l("异议成立，取消该项目的入选资格"))
    submit = SubmitField(_l("提交答复"))


def application_status(application: PilotApplication) -> str:
    """Where an application stands, as the applicant reads it (never its scores before publication)."""
    status = application.call.status
    if status in (CallStatus.DRAFT, CallStatus.OPEN):
        return _l("已提交")
    if status == CallStatus.REVIEWING:
        return _l("评审中")
    if not application.selected:
        return _l("未入选")
    return _l("入选公示中") if status == CallStatus.NOTICE else _l("已入选")
