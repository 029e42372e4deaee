"""Registration, login and logout, password reset and change."""

from collections.abc import Callable

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import (
    ChangePasswordForm,
    ConsentForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from app.accounts.loader import CONSENT_DUE
from app.accounts.org_views import PENDING_INVITATION
from app.accounts.passwords import verify_password
from app.core.forms import required_data
from app.core.redirects import is_local_path, local_next, next_url
from app.core.steps import run_step
from app.extensions import limiter

bp = Blueprint("accounts", __name__)


def _config_limit(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _form_accepted(response) -> bool:
    return bool(g.get("form_accepted"))


def _email_key(action: str) -> Callable[[], str]:
    return lambda: f"{action}:" + services.normalize_email(request.form.get("email", ""))


def _login_refused() -> str:
    return _("登录失败次数过多，请一分钟后再试。忘记密码可以通过“找回密码”重置。")


def _resets_refused() -> str:
    return _("重置密码的请求过于频繁，请稍后再试。如果没有收到邮件，请先查看垃圾邮件箱。")


def _registrations_refused() -> str:
    return _("注册过于频繁，请稍后再试。")


def _after_sign_in(default_endpoint: str) -> str:
    """A local `next`, else the invitation this browser opened before signing up or in, else the default."""
    return next_url(default_endpoint, fallback=session.pop(PENDING_INVITATION, None))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("REGISTRATION_LIMIT"),
    methods=["POST"],
    deduct_when=_form_accepted,
    error_message=_registrations_refused,
)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        g.form_accepted = True
        user = run_step(
            lambda: services.register_member(
                form.email.data, form.display_name.data, form.password.data, consented=bool(form.consent.data)
            ),
            _("注册成功。下一步：创建或加入您的企业/机构。"),
        )
        if user is not None:
            login_user(user)
            return redirect(_after_sign_in("orgs.create"))
    return render_template("accounts/register.html", form=form, next_path=local_next())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("LOGIN_FAILURE_LIMIT"), methods=["POST"], deduct_when=_login_failed, error_message=_login_refused
)
@limiter.limit(
    _config_limit("LOGIN_FAILURE_LIMIT"),
    methods=["POST"],
    deduct_when=_login_failed,
    key_func=_email_key("login"),
    error_message=_login_refused,
)
def login():
    if current_user.is_authenticated:
        return redirect(next_url())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        # A refusal is shown by the password field, not flashed: authenticate() answers None.
        user = run_step(lambda: services.authenticate(form.email.data, form.password.data))
        if user is not None:
            login_user(user, remember=form.remember.data)
            if services.consent_due(user):
                session[CONSENT_DUE] = True
                return redirect(url_for("accounts.consent", next=_after_sign_in("home.dashboard")))
            return redirect(_after_sign_in("home.dashboard"))
        g.login_failed = True
        form.password.errors.append(_("邮箱或密码不正确，或账号已停用。"))
    if form.next.data and not is_local_path(form.next.data):
        form.next.data = ""
    return render_template("accounts/login.html", form=form)


@bp.route("/account/consent", methods=["GET", "POST"])
@login_required
def consent():
    """Agreeing to a new version of the terms or the privacy policy, asked at sign-in before anything else."""
    user = current_user._get_current_object()
    form = ConsentForm(next=local_next() or "")
    if not services.consent_due(user):
        session.pop(CONSENT_DUE, None)
        return redirect(next_url())
    if form.validate_on_submit() and run_step(lambda: services.record_consent(user), _("感谢您的同意。")) is not None:
        session.pop(CONSENT_DUE, None)
        return redirect(next_url())
    return render_template("accounts/consent.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    run_step(lambda: services.end_sessions(current_user), _("您已安全退出。"), category="info")
    logout_user()
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("PASSWORD_RESET_CLIENT_LIMIT"),
    methods=["POST"],
    deduct_when=_form_accepted,
    error_message=_resets_refused,
)
@limiter.limit(
    _config_limit("PASSWORD_RESET_EMAIL_LIMIT"),
    methods=["POST"],
    deduct_when=_form_accepted,
    key_func=_email_key("reset"),
    error_message=_resets_refused,
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        g.form_accepted = True
        # The same answer whether or not the address is registered.
        run_step(
            lambda: services.request_password_reset(required_data(form.email)),
            _("如果该邮箱已注册，重置链接已发送，请在 1 小时内使用。"),
            category="info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = run_step(lambda: services.user_for_reset_token(token))
    if user is None:
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        run_step(
            lambda: services.change_password(user, required_data(form.password)), _("密码已重置，请用新密码登录。")
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    # The User itself, not the proxy: login_user() keeps what it is given as the request's user.
    user = current_user._get_current_object()
    form = ChangePasswordForm(user=user)
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("当前密码不正确。"))
        else:
            run_step(
                lambda: services.change_password(user, form.password.data),
                _("密码已修改，其他设备上的登录已退出。"),
            )
            login_user(user)
            return redirect(url_for("home.dashboard"))
    return render_template("accounts/change_password.html", form=form)
