"""Forms of incubation: a year's figures (and an admin's correction), applying, enrolling a firm,
moving an enrolment, milestones, notes, and a track's thresholds."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import LineField, select_choices
from app.core.models import local_today
from app.incubation.criteria import TYPES
from app.incubation.models import AnnualFigures, Stage, Track
from app.incubation.services import STAGE_LABELS, TRANSITIONS, FiguresValues
from app.stats.forms import OrganizationField, registered_organization


def _money(label, description=None):
    return DecimalField(
        label,
        places=2,
        description=description,
        validators=[InputRequired(message=_l("请填写金额（万元），没有请填 0。"))],
    )


def _count(label):
    return IntegerField(label, validators=[InputRequired(message=_l("请填写整数，没有请填 0。"))])


class FiguresForm(FlaskForm):
    year = IntegerField(_l("年度"), validators=[InputRequired(message=_l("请填写年度，如 2025。"))])
    revenue = _money(_l("营业收入（万元）"))
    net_profit = _money(_l("净利润（万元）"), _l("亏损请填负数。"))
    rd_spending = _money(_l("研发投入（万元）"))
    employees = _count(_l("从业人员（人）"))
    rd_staff = _count(_l("研发人员（人）"))
    invention_patents = _count(_l("发明专利（件）"))
    other_ip = _count(_l("其他知识产权（件）"))
    financing = _money(_l("融资额（万元）"), _l("当年获得的股权和债权融资。"))
    submit = SubmitField(_l("保存"))

    FIELDS = tuple(FiguresValues.__dataclass_fields__)

    @classmethod
    def of(cls, figures: AnnualFigures | None = None, **kwargs) -> "FiguresForm":
        if figures is None:
            return cls(year=local_today().year - 1, **kwargs)
        return cls(obj=figures, **kwargs)

    def values(self) -> FiguresValues:
        return FiguresValues(**{name: getattr(self, name).data for name in self.FIELDS})

    def accepts(self, problems: dict[str, str]) -> bool:
        """Whether the service's check (`services.check_figures`) found nothing wrong; what it found
        is shown on the fields it names."""
        for name, message in problems.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]
        return not problems


class CorrectionForm(FiguresForm):
    reason = LineField(
        _l("更正原因"),
        validators=[DataRequired(message=_l("请填写更正原因。")), Length(max=300)],
        description=_l("例如：企业提交的审计报告显示营业收入为 620 万元。"),
    )
    submit = SubmitField(_l("保存更正"))


class ApplyForm(FlaskForm):
    statement = TextAreaField(
        _l("申请说明"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 4},
        description=_l("简要介绍主营业务、核心技术和希望获得的支持（可不填）。"),
    )
    submit = SubmitField(_l("提交申请"))


class EnrolForm(FlaskForm):
    firm = OrganizationField(
        _l("企业"),
        validators=[DataRequired(message=_l("请填写企业。")), Length(max=100)],
        description=_l("已在平台注册的单位全称或统一社会信用代码。"),
    )
    submit = SubmitField(_l("纳入培育"))

    def validate_firm(self, field) -> None:
        registered_organization(field)


class MoveForm(FlaskForm):
    # invalid_choice_message is new in WTForms 3.3, which types-WTForms (3.2) does not cover yet
    to = SelectField(  # type: ignore[call-arg]
        _l("改为"),
        validators=[DataRequired(message=_l("请选择新的阶段。"))],
        invalid_choice_message=_l("当前阶段不能改为这个阶段。"),
    )
    reason = LineField(
        _l("原因"),
        validators=[Optional(), Length(max=500)],
        description=_l("未通过、退出，或认定一家不满足认定条件的企业时必填；企业会看到它。"),
    )
    on = DateField(_l("认定日期"), validators=[Optional()], description=_l("仅在认定时填写，默认今天。"))
    submit = SubmitField(_l("确认"))

    @classmethod
    def of(cls, stage: Stage) -> "MoveForm":
        form = cls()
        form.to.choices = select_choices(
            [("", _l("请选择"))] + [(s.value, STAGE_LABELS[s]) for s in TRANSITIONS[stage]]
        )
        return form


class MilestoneForm(FlaskForm):
    title = LineField(_l("里程碑"), validators=[DataRequired(message=_l("请填写里程碑。")), Length(max=200)])
    due_on = DateField(_l("计划完成日期"), validators=[DataRequired(message=_l("请填写日期，格式如 2026-05-18。"))])
    submit = SubmitField(_l("添加"))


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("辅导记录"),
        validators=[DataRequired(message=_l("请填写辅导记录。")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("保存记录"))


def criteria_form(track: Track) -> FlaskForm:
    """A form with one field per parameter of each of the track's criteria (`c<index>_<name>`)."""

    class CriteriaForm(FlaskForm):
        submit = SubmitField(_l("保存条件"))

        def criteria(self) -> list[dict]:
            result = []
            for index, criterion in enumerate(track.criteria):
                values = dict(criterion)
                for param in TYPES[criterion["type"]].params:
                    value = getattr(self, f"c{index}_{param.name}").data
                    values[param.name] = int(value) if param.integer or value == value.to_integral() else float(value)
                result.append(values)
            return result

    data = {}
    for index, criterion in enumerate(track.criteria):
        for param in TYPES[criterion["type"]].params:
            name = f"c{index}_{param.name}"
            field_class = IntegerField if param.integer else DecimalField
            setattr(
                CriteriaForm,
                name,
                field_class(
                    param.label,
                    validators=[
                        InputRequired(message=_l("请填写数值。")),
                        NumberRange(
                            min=param.minimum,
                            max=param.maximum,
                            message=_l("应在 %(min)s 到 %(max)s 之间。", min=param.minimum, max=param.maximum),
                        ),
                    ],
                ),
            )
            data[name] = criterion[param.name]
    return CriteriaForm(data=data)
