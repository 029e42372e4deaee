"""Asking for one's account to be deleted."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from app.accounts.passwords import MAX_PASSWORD_LENGTH


class DeletionRequestForm(FlaskForm):
    password = PasswordField(
        _l("当前密码"),
        validators=[DataRequired(message=_l("请输入当前密码。")), Length(max=MAX_PASSWORD_LENGTH)],
    )
    understood = BooleanField(
        _l("我了解：注销后无法登录，姓名和邮箱将被删除且不可恢复；企业的需求、方案和统计记录会保留。"),
        validators=[DataRequired(message=_l("请勾选确认。"))],
    )
    submit = SubmitField(_l("申请注销账号"))
