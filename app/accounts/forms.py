"""Forms for accounts and organizations."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import EmailInput, URLInput

from app.accounts.models import OrgKind, User
from app.accounts.organizations import credit_code_taken
from app.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    is_common_password,
    personal_words,
    weak_password_reason,
)
from app.accounts.services import find_user_by_email
from app.core.forms import LineField, select_choices
from app.core.validators import credit_code_problem, is_valid_phone
from app.taxonomy.models import District, Industry
from app.taxonomy.services import choices

CREDIT_CODE_MESSAGES = {
    "length": _l("统一社会信用代码应为 18 位。"),
    "alphabet": _l("统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）。"),
    "check": _l("统一社会信用代码的校验位不正确，请核对后重新输入。"),
}

ORG_KIND_LABELS = {
    OrgKind.ENTERPRISE: _l("需求企业"),
    OrgKind.PROVIDER: _l("服务商"),
    OrgKind.BOTH: _l("既是需求企业也是服务商"),
}


def new_password_validators():
    return [
        DataRequired(message=_l("请输入密码。")),
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            message=_l("密码长度应为 %(min)d 到 %(max)d 个字符。", min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH),
        ),
    ]


class NewPasswordMixin:
    """A form where someone chooses a password, which must not be built from their own words."""

    def personal_words(self) -> list[str]:
        """The words of the person choosing (their email and name): each form using the mixin says whose."""
        raise NotImplementedError

    def validate_password(self, field):
        if is_common_password(field.data or ""):
            raise ValidationError(_l("这个密码太常见，很容易被猜到，请换一个。"))
        if not field.errors:
            reason = weak_password_reason(field.data, self.personal_words())
            if reason:
                raise ValidationError(reason)


def _consent_field() -> BooleanField:
    """The box a member ticks to agree to the terms of use and the privacy policy (the template links both)."""
    return BooleanField(
        _l("我已阅读并同意《用户协议》和《隐私政策》"),
        validators=[DataRequired(message=_l("请阅读并勾选同意《用户协议》和《隐私政策》。"))],
    )


class RegisterForm(NewPasswordMixin, FlaskForm):
    email = LineField(
        _l("邮箱"),
        widget=EmailInput(),
        validators=[DataRequired(message=_l("请输入邮箱。")), Email(message=_l("邮箱格式不正确。")), Length(max=254)],
    )
    display_name = LineField(
        _l("姓名或称呼"),
        validators=[DataRequired(message=_l("请输入姓名或称呼。")), Length(max=50, message=_l("不超过 50 个字符。"))],
    )
    password = PasswordField(
        _l("密码"),
        validators=new_password_validators(),
        description=_l("至少 12 个字符；不要用常见密码，也不要用自己的邮箱或姓名。"),
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[
            DataRequired(message=_l("请再次输入密码。")),
            EqualTo("password", message=_l("两次输入的密码不一致。")),
        ],
    )
    consent = _consent_field()
    submit = SubmitField(_l("注册"))

    def personal_words(self) -> list[str]:
        return personal_words(self.email.data or "", self.display_name.data or "")

    def validate_email(self, field):
        if find_user_by_email(field.data):
            raise ValidationError(_l("该邮箱已注册，请直接登录或找回密码。"))


class ConsentForm(FlaskForm):
    consent = _consent_field()
    next = HiddenField()
    submit = SubmitField(_l("同意并继续"))


class LoginForm(FlaskForm):
    email = LineField(
        _l("邮箱"), widget=EmailInput(), validators=[DataRequired(message=_l("请输入邮箱。")), Length(max=254)]
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(message=_l("请输入密码。")), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField(_l("30 天内自动登录"))
    next = HiddenField()
    submit = SubmitField(_l("登录"))


class ForgotPasswordForm(FlaskForm):
    email = LineField(
        _l("注册邮箱"),
        widget=EmailInput(),
        validators=[DataRequired(message=_l("请输入邮箱。")), Email(message=_l("邮箱格式不正确。"))],
    )
    submit = SubmitField(_l("发送重置链接"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(
        _l("新密码"),
        validators=new_password_validators(),
        description=_l("至少 12 个字符；不要用常见密码，也不要用自己的邮箱或姓名。"),
    )
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[
            DataRequired(message=_l("请再次输入密码。")),
            EqualTo("password", message=_l("两次输入的密码不一致。")),
        ],
    )
    submit = SubmitField(_l("设置新密码"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def personal_words(self) -> list[str]:
        return personal_words(self.user.email, self.user.display_name)


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(message=_l("请输入当前密码。"))])
    submit = SubmitField(_l("修改密码"))


class OrganizationForm(FlaskForm):
    name = LineField(
        _l("企业/机构名称"),
        validators=[DataRequired(message=_l("请输入名称。")), Length(max=100, message=_l("不超过 100 个字符。"))],
    )
    credit_code = LineField(
        _l("统一社会信用代码"),
        validators=[DataRequired(message=_l("请输入统一社会信用代码。"))],
        description=_l("18 位，见营业执照。"),
    )
    kind = SelectField(
        _l("类型"),
        choices=select_choices((k.value, label) for k, label in ORG_KIND_LABELS.items()),
        validators=[DataRequired()],
    )
    district_id = SelectField(_l("所在区市"), coerce=int, validators=[DataRequired(message=_l("请选择区市。"))])
    industry_id = SelectField(_l("所属行业"), coerce=int, validators=[DataRequired(message=_l("请选择行业。"))])
    founded_year = IntegerField(
        _l("成立年份"),
        validators=[Optional(), NumberRange(min=1900, max=date.today().year, message=_l("请输入有效的年份。"))],
    )
    employees = IntegerField(
        _l("员工人数"), validators=[Optional(), NumberRange(min=1, max=1_000_000, message=_l("请输入有效的人数。"))]
    )
    website = LineField(
        _l("网站"),
        widget=URLInput(),
        validators=[Optional(), URL(message=_l("网址格式不正确，请以 http:// 或 https:// 开头。")), Length(max=200)],
    )
    contact_person = LineField(_l("联系人"), validators=[DataRequired(message=_l("请输入联系人。")), Length(max=50)])
    contact_phone = LineField(
        _l("联系电话"),
        validators=[DataRequired(message=_l("请输入联系电话。")), Length(max=30)],
        description=_l("手机号，或带区号的座机，如 0532-88886666。"),
    )
    description = TextAreaField(
        _l("简介"), validators=[Optional(), Length(max=2000, message=_l("不超过 2000 个字符。"))]
    )
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        placeholder = [(0, _l("请选择"))]
        self.district_id.choices = select_choices(
            placeholder + choices(District, organization and organization.district_id)
        )
        self.industry_id.choices = select_choices(
            placeholder + choices(Industry, organization and organization.industry_id)
        )
        if organization is not None:
            del self.credit_code

    def validate_credit_code(self, field):
        problem = credit_code_problem(field.data)
        if problem:
            raise ValidationError(CREDIT_CODE_MESSAGES[problem])
        if credit_code_taken(field.data):
            raise ValidationError(_l("该统一社会信用代码已注册。如属于贵单位，请联系该单位管理员邀请您加入。"))

    def validate_contact_phone(self, field):
        if not is_valid_phone(field.data):
            raise ValidationError(_l("请输入有效的手机号或带区号的座机号码。"))

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("网址格式不正确，请以 http:// 或 https:// 开头。"))


class InviteForm(FlaskForm):
    email = LineField(
        _l("成员邮箱"),
        widget=EmailInput(),
        validators=[DataRequired(message=_l("请输入邮箱。")), Email(message=_l("邮箱格式不正确。")), Length(max=254)],
    )
    submit = SubmitField(_l("发送邀请"))
