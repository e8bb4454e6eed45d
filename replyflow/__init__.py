"""replyflow: handling of 政协提案 and 人大建议 from registration to the signed reply."""
import os

from flask import Flask

from config import CONFIGS


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, static_folder="../static", instance_relative_config=True)
    name = config_name or os.environ.get("REPLYFLOW_CONFIG", "default")
    if name not in CONFIGS:
        raise RuntimeError(f"REPLYFLOW_CONFIG「{name}」无效，可选：{'、'.join(CONFIGS)}")
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides)
    app.config["CONFIG_NAME"] = name
    from .safety import refuse_unsafe

    refuse_unsafe(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["STORAGE_PATH"] = app.config.get("STORAGE_PATH") or default_storage_path(app)

    register_inputs(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_headers(app)
    register_template_helpers(app)
    register_commands(app)
    from .diagnostics import register as register_diagnostics

    register_diagnostics(app)
    start_embedded_scheduler(app)
    return app


def default_storage_path(app) -> str:
    """Beside a SQLite database file (every app on that database finds the same files), else instance/files."""
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = os.path.abspath(url.database)
        return os.path.splitext(database)[0] + "-files"
    return os.path.join(app.instance_path, "files")


def start_embedded_scheduler(app):
    """When asked for (development), start the scheduler with the first request served.

    Started on a request rather than here, so that `flask db upgrade`, `flask scheduler` and the
    reloader's watcher process never start one of their own.
    """
    if not app.config.get("EMBEDDED_SCHEDULER"):
        return
    import threading

    lock = threading.Lock()

    @app.before_request
    def _start_scheduler_once():
        if "scheduler" in app.extensions:
            return
        with lock:
            if "scheduler" not in app.extensions:
                from .jobs import build_scheduler

                scheduler = build_scheduler(app, background=True)
                scheduler.start()
                app.extensions["scheduler"] = scheduler


def register_inputs(app):
    from .inputs import register

    register(app)


def register_extensions(app):
    from . import models  # noqa: F401  (one metadata for Alembic)
    from .extensions import csrf, db, limiter, login_manager, migrate

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # wait for a writer instead of failing at once: the scheduler and the web app share the file
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    @login_manager.user_loader
    def load_user(session_id):
        """The session holds "id:version" (User.get_id): a bumped version ends the old session."""
        user_id, _, version = str(session_id).partition(":")
        if not user_id.isdigit() or not version.isdigit() or len(user_id) > 18:
            return None
        user = db.session.get(models.User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    from .auth.sessions import check_session

    app.before_request(check_session)


def register_blueprints(app):
    from .actions.views import bp as actions_bp
    from .admin.views import bp as admin_bp
    from .audit.views import bp as audit_bp
    from .auth.views import bp as auth_bp
    from .batch.views import bp as batch_bp
    from .dashboard.views import bp as dashboard_bp
    from .follow_up.views import bp as follow_up_bp
    from .health import bp as health_bp
    from .imports.views import bp as imports_bp
    from .mine.views import bp as mine_bp
    from .notifications.views import bp as notifications_bp
    from .online.views import bp as online_bp
    from .public.views import bp as public_bp
    from .replies.views import bp as replies_bp
    from .roles.views import bp as roles_bp
    from .sittings.views import bp as sittings_bp
    from .statistics.views import bp as statistics_bp
    from .submissions.views import bp as submissions_bp

    for bp in (auth_bp, dashboard_bp, submissions_bp, actions_bp, replies_bp, admin_bp, notifications_bp,
               health_bp, sittings_bp, audit_bp, roles_bp, imports_bp,
               statistics_bp, batch_bp, public_bp, online_bp, follow_up_bp, mine_bp):
        app.register_blueprint(bp)


def register_errorhandlers(app):
    from .errors import register

    register(app)


def register_headers(app):
    from .audit.log import after_request
    from .headers import register

    register(app)
    app.after_request(after_request)


def register_template_helpers(app):
    from .templating import register

    register(app)


def register_commands(app):
    from .cli import register

    register(app)
