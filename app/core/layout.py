"""The layout's navigation bar and footer, rendered once per shape instead of on every page.

Profiling a signed-in dashboard under load (issue 16) put about a third of its time in the bar's
translated strings and links. The bar is the same for every visitor who sees the same menu: the
language, the active item, signed in or not, admin or not, the kind of organization, whether
there are unread messages. What differs between such visitors (their name, their organization's
link, the unread count, their CSRF token, the page to return to after a language switch) is left
as a placeholder and filled in, escaped, on each page. The shapes are few, so each worker keeps
its renderings in memory; with templates reloading (development) nothing is kept.
The footer shows the office's settings: each worker keeps it per language and data version.
"""

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.core import data_version
from app.core.i18n import current_language
from app.core.settings import footer

#: Sections whose pages are the admin area's ("管理后台" is the active item there).
ADMIN_SECTIONS = frozenset(
    {
        "admin",
        "catalog",
        "scenario_admin",
        "moderation",
        "event_admin",
        "pilot_admin",
        "incubation_admin",
        "article_admin",
    }
)
#: Endpoints that are menu items of their own.
OWN_ITEMS = frozenset({"home.dashboard", "stats.public"})

#: Footers kept at most, in both languages: those of older data versions are dropped.
FOOTERS_KEPT = 8

_kept: dict[tuple, str] = {}
_footers: dict[tuple[str, str], str] = {}


def active_item(endpoint: str | None) -> str:
    """The menu item a page belongs to: its blueprint's name, or one of OWN_ITEMS, or "admin"."""
    if not endpoint:
        return ""
    if endpoint in OWN_ITEMS:
        return endpoint
    section = endpoint.split(".", 1)[0]
    return "admin" if section in ADMIN_SECTIONS or section == "stats" else section


def _hole(name: str) -> Markup:
    return Markup(f"\x1e{name}\x1e")


def _organization_kind(user) -> str:
    organization = user.organization
    if organization is None:
        return ""
    return "provider" if organization.is_provider and not organization.is_enterprise else "enterprise"


def kept(template_name: str, **shape: object) -> str:
    """`template_name` rendered with nothing but `shape` (and the language), once per worker: the
    template must not read the request, the user or the session; what differs between visitors
    goes in as `hole(name)` placeholders, filled by the caller."""
    key = (template_name, current_language(), *shape.items())
    html = _kept.get(key)
    if html is None:
        html = current_app.jinja_env.get_template(template_name).render(
            shape, current_language=current_language(), languages=current_app.config["LANGUAGES"], hole=_hole
        )
        if not current_app.jinja_env.auto_reload:
            _kept[key] = html
    return html


def navbar(inbox_unread: int = 0) -> Markup:
    signed_in = current_user.is_authenticated
    html = kept(
        "_layouts/navbar.html",
        active=active_item(request.endpoint),
        signed_in=signed_in,
        is_admin=signed_in and current_user.is_admin,
        organization_kind=_organization_kind(current_user) if signed_in else "",
        has_unread=bool(inbox_unread),
    )
    holes = {"next": request.full_path.rstrip("?"), "unread": inbox_unread}
    if signed_in:
        organization = current_user.organization
        holes.update(
            csrf=generate_csrf(),
            name=current_user.display_name,
            organization_url=url_for("orgs.detail", org_id=organization.id) if organization is not None else "",
        )
    for name, value in holes.items():
        html = html.replace(f"\x1e{name}\x1e", str(escape(value)))
    return Markup(html)


def kept_markup(template_name: str, **shape: object) -> Markup:
    """`kept` for a part without placeholders, such as the admin area's menu."""
    return Markup(kept(template_name, **shape))


def site_footer_html() -> Markup:
    key = (current_language(), data_version.current())
    html = _footers.get(key)
    if html is None:
        html = current_app.jinja_env.get_template("_layouts/footer.html").render(footer=footer())
        if not current_app.jinja_env.auto_reload:
            if len(_footers) >= FOOTERS_KEPT:  # renderings under older data versions
                _footers.clear()
            _footers[key] = html
    return Markup(html)


def init_layout(app: Flask) -> None:
    app.jinja_env.globals.update(navbar=navbar, kept=kept_markup, site_footer_html=site_footer_html)
