"""The application factory."""

import os

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, CONFIGS


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    config_name = config_name or os.environ.get("FLASK_CONFIG", "development")
    config_class = CONFIGS[config_name]
    app = Flask(
        __name__,
        instance_path=str(BASE_DIR / "instance"),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    from app.core.numbers import DatabaseIntegerConverter

    app.url_map.converters["int"] = DatabaseIntegerConverter  # before any route is added
    json_provider = DefaultJSONProvider(app)
    json_provider.ensure_ascii = False  # Chinese as it is in JSON responses, not as \u escapes
    app.json = json_provider
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    config_class.prepare(app.config)

    proxies = int(os.environ.get("TRUSTED_PROXIES", "0"))
    if proxies:
        # Flask's documented way to add WSGI middleware; mypy takes it for monkey-patching (python/mypy#2427).
        # Not X-Forwarded-Host (x_host): any client can send one, and links never need it (see app/core/links.py).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from app.ops import init_ops

    init_ops(app)  # first, so that the request id is there for every other hook's log lines
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    from app.core.errors import register_error_handlers
    from app.core.layout import init_layout
    from app.core.security import init_security
    from app.core.static_urls import init_static_urls
    from app.core.templating import init_templating
    from app.listings import init_listings

    register_error_handlers(app)
    init_security(app)
    init_templating(app)
    init_layout(app)
    init_static_urls(app)
    init_listings(app)
    _expose_permissions(app)
    return app


def _expose_permissions(app: Flask) -> None:
    """Templates call the domains' permission predicates by name, as the views do."""
    from app.accounts import permissions as accounts
    from app.articles import permissions as articles
    from app.core.permissions import expose_to_templates
    from app.events import permissions as events
    from app.incubation import permissions as incubation
    from app.inquiries import permissions as inquiries
    from app.listings import permissions as listings
    from app.matching import permissions as matching
    from app.needs import permissions as needs
    from app.personal_data import permissions as personal_data
    from app.pilots import permissions as pilots
    from app.solutions import permissions as solutions

    expose_to_templates(
        app,
        accounts,
        articles,
        events,
        incubation,
        inquiries,
        listings,
        matching,
        needs,
        personal_data,
        pilots,
        solutions,
    )


def _init_extensions(app: Flask) -> None:
    from app.core.i18n import install_template_gettext, select_locale
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(BASE_DIR / "translations"))
    install_template_gettext(app)
    limiter.init_app(app)

    from app.accounts.loader import init_login
    from app.articles import init_articles
    from app.catalog.search import register_catalog_search
    from app.core.page_cache import init_page_cache
    from app.events import init_events
    from app.incubation import init_incubation
    from app.inquiries import init_inquiries
    from app.mail.sender import install_session_hooks as install_mail_hooks
    from app.matching import init_matching
    from app.needs import init_needs
    from app.pilots import init_pilots
    from app.search import init_search
    from app.solutions import init_solutions
    from app.stats import init_stats

    init_login(app, login_manager)
    init_page_cache(app)
    init_search(app)
    install_mail_hooks()
    register_catalog_search()
    init_events()
    init_needs()
    init_solutions()
    init_stats()
    init_pilots()
    init_incubation()
    init_inquiries()
    init_matching()
    init_articles()


def _register_blueprints(app: Flask) -> None:
    from app.accounts.org_views import bp as orgs_bp
    from app.accounts.views import bp as accounts_bp
    from app.admin.moderation_views import bp as moderation_bp
    from app.admin.views import bp as admin_bp
    from app.api.data_views import bp as data_bp
    from app.api.views import bp as api_bp
    from app.articles.admin_views import bp as article_admin_bp
    from app.articles.views import bp as articles_bp
    from app.catalog.atlas_views import bp as atlas_bp
    from app.catalog.batch_views import bp as scenario_admin_bp
    from app.catalog.public_views import bp as scenarios_bp
    from app.catalog.views import bp as catalog_bp
    from app.events.admin_views import bp as event_admin_bp
    from app.events.views import bp as events_bp
    from app.home.views import bp as home_bp
    from app.incubation.admin_views import bp as incubation_admin_bp
    from app.incubation.views import bp as incubation_bp
    from app.inquiries.views import bp as inquiries_bp
    from app.legal.views import bp as legal_bp
    from app.matching.views import bp as matching_bp
    from app.needs.views import bp as needs_bp
    from app.notifications.views import bp as inbox_bp
    from app.ops.views import bp as ops_bp
    from app.personal_data.views import bp as personal_data_bp
    from app.pilots.admin_views import bp as pilot_admin_bp
    from app.pilots.views import bp as pilots_bp
    from app.search.saved_views import bp as saved_searches_bp
    from app.solutions.views import bp as solutions_bp
    from app.stats.views import bp as stats_bp

    for blueprint in (
        home_bp,
        accounts_bp,
        orgs_bp,
        admin_bp,
        catalog_bp,
        scenario_admin_bp,
        scenarios_bp,
        atlas_bp,
        api_bp,
        data_bp,
        stats_bp,
        needs_bp,
        solutions_bp,
        moderation_bp,
        inquiries_bp,
        inbox_bp,
        saved_searches_bp,
        matching_bp,
        events_bp,
        event_admin_bp,
        pilots_bp,
        pilot_admin_bp,
        incubation_bp,
        incubation_admin_bp,
        articles_bp,
        article_admin_bp,
        legal_bp,
        personal_data_bp,
        ops_bp,
    ):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.articles.cli import articles_cli
    from app.catalog.cli import scenarios_cli
    from app.inquiries.cli import inquiries_cli
    from app.mail.cli import mail_cli
    from app.needs.cli import needs_cli
    from app.stats.cli import stats_cli
    from seeds.cli import seed_cli

    for group in (users_cli, articles_cli, scenarios_cli, needs_cli, inquiries_cli, mail_cli, stats_cli, seed_cli):
        app.cli.add_command(group)
