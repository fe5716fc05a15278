"""Login loading, security headers and cookie hardening."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import login_manager


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    if request.endpoint and not request.endpoint.startswith(("static", "core.public")):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    from app.core import navigation

    navigation.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Bitte melden Sie sich an, um diese Seite zu sehen."
    login_manager.login_message_category = "hinweis"
    login_manager.session_protection = "basic"
    app.after_request(_headers)
    warn_without_https(app)
    trust_proxies(app)


def trust_proxies(app: Flask) -> None:
    """X-Forwarded-* name the client only behind ``TRUSTED_PROXIES`` proxies (default none)."""
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


HTTPS_WARNUNG = (
    "BASE_URL %s ist keine https-Adresse. Anmelde- und Sitzungs-Cookies sind nur über HTTPS "
    "gültig: über einfaches HTTP beantwortet die Plattform jedes Formular mit 400. Bitte die "
    "Plattform hinter einem TLS-Proxy betreiben (deploy/nginx.conf) und BASE_URL=https://… "
    "setzen, oder für ein reines Testsystem ALLOW_INSECURE_HTTP=1 setzen."
)
HTTP_ERLAUBT = (
    "ALLOW_INSECURE_HTTP=1: Cookies ohne Secure-Flag, Passwörter gehen unverschlüsselt über "
    "das Netz. Nur für Testsysteme."
)


def warn_without_https(app: Flask) -> None:
    """Production over plain HTTP: say clearly at startup why forms would fail."""
    if not app.config.get("PRODUKTION"):
        return
    if not app.config.get("SESSION_COOKIE_SECURE"):
        app.logger.warning(HTTP_ERLAUBT)
    elif not str(app.config.get("BASE_URL", "")).startswith("https://"):
        app.logger.warning(HTTPS_WARNUNG, app.config.get("BASE_URL"))
