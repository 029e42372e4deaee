"""Forms of events: the organiser's event and programme, a member's registration, the door.

Organisers type local times (the portal's time zone); the forms hand them on in UTC, as every
timestamp is stored.
"""

from datetime import date, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.core.forms import LineField, MultiCheckboxField, required_data, select_choices
from app.core.imports import split_list
from app.core.numbers import DB_INT_MAX
from app.core.templating import local_datetime
from app.events.models import (
    Event,
    EventKind,
    Meeting,
    MeetingRequest,
    OutcomeKind,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from app.events.services import Programme

KIND_LABELS = {
    EventKind.FORUM: _l("产业论坛"),
    EventKind.COMPETITION: _l("行业大赛"),
    EventKind.FINANCE: _l("产融对接会"),
}
ROLE_LABELS = {
    ParticipantRole.DEMAND: _l("需求方"),
    ParticipantRole.SUPPLY: _l("供给方"),
    ParticipantRole.INVESTOR: _l("投资机构或银行"),
    ParticipantRole.VISITOR: _l("观众"),
}
REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.PENDING: _l("待审核"),
    RegistrationStatus.CONFIRMED: _l("已确认"),
    RegistrationStatus.WAITLISTED: _l("候补中"),
    RegistrationStatus.REJECTED: _l("未通过"),
    RegistrationStatus.CANCELLED: _l("已取消"),
}
REQUEST_STATUS_LABELS = {
    RequestStatus.PENDING: _l("待对方答复"),
    RequestStatus.ACCEPTED: _l("已接受"),
    RequestStatus.DECLINED: _l("已婉拒"),
    RequestStatus.CANCELLED: _l("已取消"),
}


def request_status(request: MeetingRequest, mine: Registration) -> str:
    """A request's state as one side reads it: a pending request waits for its recipient's answer."""
    if request.status == RequestStatus.PENDING and request.recipient_id == mine.id:
        return _l("待您答复")
    return REQUEST_STATUS_LABELS[request.status]


OUTCOME_LABELS = {
    OutcomeKind.NO_INTEREST: _l("无进一步意向"),
    OutcomeKind.FOLLOW_UP: _l("继续跟进"),
    OutcomeKind.INTENTION: _l("签订意向"),
    OutcomeKind.DEAL: _l("达成签约"),
}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(label):
    return DateTimeLocalField(
        label, format=DATETIME_FORMAT, validators=[InputRequired(message=_l("请填写日期和时间。"))]
    )


class EventForm(FlaskForm):
    kind = SelectField(
        _l("活动类型"), choices=select_choices((k.value, label) for k, label in KIND_LABELS.items()), coerce=EventKind
    )
    title = LineField(_l("活动名称"), validators=[DataRequired(message=_l("请填写活动名称。")), Length(max=100)])
    description = TextAreaField(
        _l("活动介绍"),
        validators=[DataRequired(message=_l("请填写活动介绍。")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    venue = LineField(_l("地点"), validators=[DataRequired(message=_l("请填写活动地点。")), Length(max=200)])
    starts_at = _when(_l("开始时间"))
    ends_at = _when(_l("结束时间"))
    registration_opens_at = _when(_l("报名开始"))
    registration_closes_at = _when(_l("报名截止"))
    capacity = IntegerField(
        _l("名额（单位数）"),
        validators=[
            InputRequired(message=_l("请填写名额。")),
            NumberRange(min=1, max=5000, message=_l("名额应在 1 到 5000 之间。")),
        ],
    )
    slot_minutes = IntegerField(
        _l("每场洽谈时长（分钟）"),
        default=20,
        validators=[
            InputRequired(message=_l("请填写洽谈时长。")),
            NumberRange(min=5, max=120, message=_l("时长应在 5 到 120 分钟之间。")),
        ],
    )
    request_limit = IntegerField(
        _l("每家单位最多发出的洽谈邀约"),
        default=10,
        validators=[
            InputRequired(message=_l("请填写邀约上限。")),
            NumberRange(min=1, max=100, message=_l("上限应在 1 到 100 之间。")),
        ],
    )
    approval_required = BooleanField(_l("报名需主办方审核"))
    requests_need_acceptance = BooleanField(_l("洽谈邀约需对方接受"), default=True)
    submit = SubmitField(_l("保存"))

    TIMES = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    @classmethod
    def of(cls, event: Event) -> "EventForm":
        """The form of an existing event, its times shown in the portal's time zone."""
        form = cls(obj=event)
        if not form.is_submitted():
            for name in cls.TIMES:
                getattr(form, name).data = to_user_timezone(getattr(event, name)).replace(tzinfo=None)
        return form

    def values(self) -> dict:
        values = {
            name: getattr(self, name).data
            for name in (
                "title",
                "description",
                "venue",
                "capacity",
                "slot_minutes",
                "request_limit",
                "approval_required",
                "requests_need_acceptance",
            )
        }
        values["kind"] = EventKind(self.kind.data)
        values.update({name: to_utc(getattr(self, name).data) for name in self.TIMES})
        return values

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("结束时间应晚于开始时间。"))

    def validate_registration_closes_at(self, field) -> None:
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("报名截止应晚于报名开始。"))
        if self.ends_at.data and field.data and field.data > self.ends_at.data:
            raise ValidationError(_l("报名截止不能晚于活动结束。"))


class ProgrammeForm(FlaskForm):
    days = LineField(
        _l("洽谈日期"),
        validators=[DataRequired(message=_l("请填写至少一个日期。"))],
        description=_l("如 2026-12-18；多天用“、”分隔。"),
    )
    day_starts = TimeField(_l("每天开始"), validators=[InputRequired(message=_l("请填写时间。"))])
    day_ends = TimeField(_l("每天结束"), validators=[InputRequired(message=_l("请填写时间。"))])
    breaks = LineField(
        _l("休息时间"),
        validators=[Optional(), Length(max=200)],
        description=_l("如 12:00-13:30、15:00-15:15；不休息可不填。"),
    )
    tables = IntegerField(
        _l("洽谈桌数"),
        validators=[
            InputRequired(message=_l("请填写桌数。")),
            NumberRange(min=1, max=300, message=_l("桌数应在 1 到 300 之间。")),
        ],
    )
    table_prefix = LineField(_l("桌号前缀"), default="洽谈桌", validators=[Length(max=20)])
    submit = SubmitField(_l("生成洽谈时段"))

    def validate_day_ends(self, field) -> None:
        if self.day_starts.data and field.data and field.data <= self.day_starts.data:
            raise ValidationError(_l("每天结束应晚于开始。"))

    def validate_days(self, field) -> None:
        try:
            self.parsed_days = sorted({date.fromisoformat(part) for part in split_list(field.data)})
        except ValueError:
            raise ValidationError(_l("日期格式应为 2026-12-18，多天用“、”分隔。")) from None

    def validate_breaks(self, field) -> None:
        self.parsed_breaks = []
        for part in split_list(field.data or ""):
            start, _, end = part.partition("-")
            try:
                pair = (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
            except ValueError:
                raise ValidationError(_l("休息时间格式应为 12:00-13:30，多段用“、”分隔。")) from None
            if pair[1] <= pair[0]:
                raise ValidationError(_l("休息“%(part)s”的结束应晚于开始。", part=part))
            self.parsed_breaks.append(pair)

    def programme(self) -> Programme:
        return Programme(
            days=self.parsed_days,
            day_starts=required_data(self.day_starts),
            day_ends=required_data(self.day_ends),
            breaks=self.parsed_breaks,
            tables=required_data(self.tables),
            table_prefix=(self.table_prefix.data or "").strip(),
        )


class RegistrationForm(FlaskForm):
    role = RadioField(
        _l("参会身份"),
        choices=select_choices((r.value, label) for r, label in ROLE_LABELS.items()),
        validators=[DataRequired(message=_l("请选择参会身份。"))],
    )
    profile = TextAreaField(
        _l("参会简介"),
        validators=[Length(max=500)],
        render_kw={"rows": 3},
        description=_l("一两句话介绍贵单位，供其他参会单位了解。"),
    )
    offers = TextAreaField(_l("能提供"), validators=[Length(max=500)], render_kw={"rows": 2})
    requests = TextAreaField(_l("想寻找"), validators=[Length(max=500)], render_kw={"rows": 2})
    needs = MultiCheckboxField(_l("带上贵单位的需求"), coerce=int)
    solutions = MultiCheckboxField(_l("带上贵单位的方案"), coerce=int)
    slots = MultiCheckboxField(_l("可参加洽谈的时段"), coerce=int, description=_l("不勾选表示全部时段都可以。"))
    submit = SubmitField(_l("提交报名"))


class CheckInForm(FlaskForm):
    code = LineField(
        _l("签到码"),
        validators=[DataRequired(message=_l("请输入或扫描签到码。")), Length(max=16)],
        render_kw={"autocomplete": "off", "autofocus": True},
    )
    submit = SubmitField(_l("签到"))


class MeetingRequestForm(FlaskForm):
    message = TextAreaField(
        _l("留言"),
        validators=[Length(max=500, message=_l("留言不能超过 500 字。"))],
        render_kw={"rows": 2},
        description=_l("说明想谈什么，对方更愿意接受。"),
    )
    submit = SubmitField(_l("发出洽谈邀约"))


class MoveForm(FlaskForm):
    """The organiser puts one accepted request at a slot and a table."""

    request_id = IntegerField(
        widget=HiddenInput(),
        validators=[
            DataRequired(),
            NumberRange(min=1, max=DB_INT_MAX, message=_l("找不到这场洽谈，请刷新页面后重试。")),
        ],
    )
    slot = SelectField(_l("时段"), coerce=int)
    table = SelectField(_l("洽谈桌"), coerce=int)
    submit = SubmitField(_l("调整"))

    @classmethod
    def of(cls, event: Event) -> "MoveForm":
        form = cls()
        form.slot.choices = select_choices((s.id, local_datetime(s.starts_at, "MM-dd HH:mm")) for s in event.slots)
        form.table.choices = select_choices((t.id, t.name) for t in event.tables)
        return form


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("洽谈结果"), choices=select_choices((k.value, label) for k, label in OUTCOME_LABELS.items()))
    amount = DecimalField(
        _l("签约金额（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9999999, message=_l("金额应在 0 到 9999999 万元之间。"))],
    )
    financing = DecimalField(
        _l("融资金额（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9999999, message=_l("金额应在 0 到 9999999 万元之间。"))],
    )
    institution = LineField(_l("融资机构"), validators=[Length(max=100, message=_l("融资机构不超过 100 个字。"))])
    submit = SubmitField(_l("记录结果"))

    def outcome(self) -> tuple[OutcomeKind, Decimal | None, Decimal | None, str]:
        """The outcome as `outcomes.record` and `record_for` take it: kind, amount, financing, institution."""
        return OutcomeKind(self.kind.data), self.amount.data, self.financing.data, self.institution.data or ""


class OrganiserOutcomeForm(OutcomeForm):
    """The organiser records one side's account of a meeting (prefixed by the meeting: one form a row)."""

    side = SelectField(_l("记录哪一方的结果"), coerce=int)

    @classmethod
    def of(cls, meeting: Meeting) -> "OrganiserOutcomeForm":
        form = cls(prefix=f"m{meeting.id}")
        said = {o.registration_id for o in meeting.outcomes}
        form.side.choices = select_choices(
            (r.id, r.organization.name)
            for r in (meeting.request.requester, meeting.request.recipient)
            if r.id not in said
        )
        return form


class EntryForm(FlaskForm):
    title = LineField(_l("作品名称"), validators=[DataRequired(message=_l("请填写作品名称。")), Length(max=100)])
    description = TextAreaField(
        _l("作品介绍"),
        validators=[DataRequired(message=_l("请介绍参赛作品。")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    files = MultipleFileField(
        _l("添加附件（可不选，可多选）"),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg"},
        description=_l("PDF、PNG 或 JPEG，每个不超过 10 MB，每件作品最多 5 个。"),
    )
    submit = SubmitField(_l("提交参赛作品"))
