"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.accounts.models import SiteRole
from app.core.forms import LineField, select_choices

SITE_ROLE_LABELS = {
    SiteRole.MEMBER: _l("普通用户"),
    SiteRole.EXPERT: _l("评审专家"),
    SiteRole.ADMIN: _l("平台管理员"),
}


class VerifyOrganizationForm(FlaskForm):
    note = TextAreaField(
        _l("核验说明"),
        validators=[Optional(), Length(max=500, message=_l("不超过 500 个字符。"))],
        description=_l("如：已核对营业执照与国家企业信用信息公示系统。"),
    )
    submit = SubmitField(_l("认证通过"))


class RevokeVerificationForm(FlaskForm):
    note = TextAreaField(
        _l("撤销原因"),
        validators=[
            DataRequired(message=_l("请说明撤销认证的原因。")),
            Length(max=500, message=_l("不超过 500 个字符。")),
        ],
    )
    submit = SubmitField(_l("撤销认证"))


class UserRoleForm(FlaskForm):
    site_role = SelectField(
        _l("站点角色"), choices=select_choices((r.value, label) for r, label in SITE_ROLE_LABELS.items())
    )
    submit = SubmitField(_l("保存角色"))


class SearchForm(FlaskForm):
    """GET search forms carry no CSRF token."""

    class Meta:
        csrf = False

    q = LineField(_l("搜索"), validators=[Optional(), Length(max=100)])


def _footer_line(label, description=None) -> LineField:
    return LineField(
        label, validators=[Optional(), Length(max=200, message=_l("不超过 200 个字符。"))], description=description
    )


class FooterForm(FlaskForm):
    """The footer's lines; each one left empty is not shown."""

    operator = _footer_line(_l("主办单位"), _l("如：某某市工业和信息化局"))
    contact = _footer_line(_l("联系方式"), _l("电话或邮箱，如：0532-12345678"))
    icp_filing = _footer_line(_l("ICP备案号"), _l("如：鲁ICP备12345678号-1"))
    public_security_filing = _footer_line(_l("公安备案号"), _l("如：鲁公网安备 37020202000001号"))
    site_identifier = _footer_line(_l("网站标识码"), _l("政府网站的标识码，如：3702000001"))
    submit = SubmitField(_l("保存页脚"))


class NeedLifetimeForm(FlaskForm):
    days = IntegerField(
        _l("需求有效期（天）"),
        validators=[
            DataRequired(message=_l("请填写 30 到 730 之间的天数。")),
            NumberRange(min=30, max=730, message=_l("请填写 30 到 730 之间的天数。")),
        ],
        description=_l(
            "需求发布（或续期）后保持公开的天数；到期前 7 天提醒发布方续期。修改只影响之后发布或续期的需求。"
        ),
    )
    submit = SubmitField(_l("保存"))
