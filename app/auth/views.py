"""Blueprint ``auth``: login, logout, invitation acceptance, password reset."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services, throttle
from app.auth.forms import LoginForm, PasswordSetForm, ResetRequestForm
from app.core.urls import safe_next
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_failed(response) -> bool:
    return response.status_code != 302


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=throttle.account_and_client_key,
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-konto-client",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_TOTAL"],
    key_func=throttle.account_key,
    methods=["POST"],
    deduct_when=_login_failed,
    exempt_when=lambda: throttle.trusted_device() is not None,
    scope="login-konto",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"],
    key_func=throttle.client_address,
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-ip",
)
def login():
    """Log in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.start"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            services.record_failed_login(form.email.data)
            db.session.commit()
            form.password.errors.append("E-Mail-Adresse oder Passwort ist nicht korrekt.")
        else:
            services.start_login_session(user)
            db.session.commit()
            login_user(user)
            response = redirect(safe_next(form.next.data) or url_for("core.start"))
            throttle.remember_device(response, user.email)
            return response
    return render_template("auth/login.html", form=form)


@bp.route("/abmelden", methods=["POST"])
@login_required
def logout():
    """End this login session on the server, not only in the browser."""
    services.end_login_session(current_user.login_token)
    services.record_logout(current_user)
    db.session.commit()
    logout_user()
    flash("Sie wurden abgemeldet.", "erfolg")
    return redirect(url_for("auth.login"))


@bp.route("/einladung/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Set the first password from the invitation link."""
    return _password_from_token(token, "einladung", "auth/einladung.html")


@bp.route("/passwort/neu/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from the reset link."""
    return _password_from_token(token, "zuruecksetzen", "auth/passwort_neu.html")


def _password_from_token(token: str, purpose: str, template: str):
    try:
        user = services.read_account_token(token, purpose)
    except services.TokenError as exc:
        return render_template("auth/link_ungueltig.html", message=str(exc)), 400
    form = PasswordSetForm()
    form.user = user  # the policy refuses the person's own address or name
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash("Ihr Passwort wurde gespeichert. Bitte melden Sie sich an.", "erfolg")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user)


@bp.route("/passwort/vergessen", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], key_func=throttle.client_address, scope="reset")
def forgot_password():
    """Request a reset link; the answer never reveals whether an account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            "Wenn ein Konto mit dieser Adresse besteht, erhalten Sie in Kürze eine E-Mail "
            "mit einem Link zum Zurücksetzen.",
            "erfolg",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/passwort_vergessen.html", form=form)
