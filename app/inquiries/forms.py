from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.files import format_size
from app.core.forms import LineField, select_choices
from app.inquiries.models import FollowUpAnswer, InquiryState, Side
from app.inquiries.services import MAX_FILE_BYTES

STATE_LABELS = {
    InquiryState.OPEN: _l("待回应"),
    InquiryState.ACCEPTED: _l("沟通中"),
    InquiryState.DECLINED: _l("已婉拒"),
    InquiryState.DEAL: _l("已签约"),
    InquiryState.CLOSED: _l("已关闭"),
}
STATE_STYLES = {
    InquiryState.OPEN: "warning",
    InquiryState.ACCEPTED: "primary",
    InquiryState.DECLINED: "secondary",
    InquiryState.DEAL: "success",
    InquiryState.CLOSED: "secondary",
}
SIDE_LABELS = {Side.ENTERPRISE: _l("需求方"), Side.PROVIDER: _l("服务商")}
FOLLOW_UP_LABELS = {
    FollowUpAnswer.NO_CONTACT: _l("签约后没有再联系"),
    FollowUpAnswer.ONGOING: _l("项目仍在实施"),
    FollowUpAnswer.DELIVERED: _l("已交付上线"),
    FollowUpAnswer.RENEWED: _l("已续约或追加合作"),
}


def _body(label, description=None, rows=5):
    return TextAreaField(
        label,
        description=description,
        render_kw={"rows": rows},
        validators=[
            DataRequired(message=_l("请填写消息内容。")),
            Length(max=5000, message=_l("消息不能超过 5000 字。")),
        ],
    )


class InquiryForm(FlaskForm):
    """The first message of a thread: 我要对接 on a solution, 提交方案 on a need."""

    body = _body(_l("留言"), _l("简要说明贵单位的情况、想了解的内容或方案要点、希望的联系方式。"))
    submit = SubmitField(_l("发送"))


class MessageForm(FlaskForm):
    body = _body(_l("回复"), rows=3)
    file = FileField(
        _l("附件（可不选）"),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
        description=_l(
            "PDF、PNG 或 JPEG，不超过 %(size)s；只有对接双方和平台运营人员可以下载。", size=format_size(MAX_FILE_BYTES)
        ),
    )
    submit = SubmitField(_l("发送"))


class DeclineForm(FlaskForm):
    reason = LineField(_l("婉拒原因（对方可见，可不填）"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("婉拒"))


class DealForm(FlaskForm):
    amount = DecimalField(
        _l("签约金额（万元，可不填）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9999999, message=_l("签约金额应在 0 到 9999999 万元之间。"))],
    )
    submit = SubmitField(_l("确认签约"))


class FollowUpForm(FlaskForm):
    answer = RadioField(
        _l("签约半年后，合作进展如何？"),
        choices=select_choices((a.value, label) for a, label in FOLLOW_UP_LABELS.items()),
        validators=[DataRequired(message=_l("请选择一项。"))],
    )
    submit = SubmitField(_l("提交回访"))
