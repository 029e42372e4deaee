"""Registration, login and logout, password reset and change."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from app.accounts.passwords import verify_password
from app.core.forms import required_data
from app.core.links import external_url
from app.core.redirects import is_local_path, next_url
from app.extensions import db, limiter
from app.mail.services import send_mail

bp = Blueprint("accounts", __name__)


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _login_account_key() -> str:
    return "login:" + services.normalize_email(request.form.get("email", ""))


def _login_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = services.register_user(form.email.data, form.display_name.data, form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("注册成功。下一步：创建或加入您的企业/机构。"), "success")
        return redirect(next_url("orgs.create"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed, key_func=_login_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(next_url())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(next_url())
        g.login_failed = True
        form.password.errors.append(_("邮箱或密码不正确，或账号已停用。"))
    if form.next.data and not is_local_path(form.next.data):
        form.next.data = ""
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            send_mail(
                user.email,
                _("重置您的工赋汇密码"),
                "emails/reset_password.txt",
                user=user,
                url=external_url("accounts.reset_password", token=services.make_reset_token(user)),
                minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
            )
            db.session.commit()
        # The same answer whether or not the address is registered.
        flash(_("如果该邮箱已注册，重置链接已发送，请在 1 小时内使用。"), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except services.ResetTokenError as exc:
        message = (
            _("重置链接已过期，请重新申请。") if exc.reason == "expired" else _("重置链接无效或已使用，请重新申请。")
        )
        flash(message, "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.change_password(user, required_data(form.password))
        db.session.commit()
        flash(_("密码已重置，请用新密码登录。"), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("当前密码不正确。"))
        else:
            services.change_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user)
            flash(_("密码已修改，其他设备上的登录已退出。"), "success")
            return redirect(url_for("home.dashboard"))
    return render_template("accounts/change_password.html", form=form)
