"""deploy/ stays true to the code: every setting the example names is one the app reads, the units start
commands that exist, nginx lets through what the app accepts."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_every_setting_of_the_example_is_read_by_the_app():
    read = "".join((ROOT / f).read_text(encoding="utf-8") for f in ("config.py", "gunicorn.conf.py",
                                                                    "replyflow/__init__.py"))
    names = re.findall(r"^REPLYFLOW_([A-Z_]+)=", (DEPLOY / "replyflow.env.example").read_text(encoding="utf-8"), re.M)
    assert names
    unknown = [n for n in names if not re.search(rf'_env\(\s*"{n}"', read) and f'"REPLYFLOW_{n}"' not in read]
    assert not unknown, unknown


def test_the_units_start_commands_that_exist(app):
    web = (DEPLOY / "systemd" / "replyflow-web.service").read_text(encoding="utf-8")
    scheduler = (DEPLOY / "systemd" / "replyflow-scheduler.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/replyflow/.venv/bin/gunicorn wsgi:app" in web
    assert "ExecStart=/opt/replyflow/.venv/bin/flask --app wsgi scheduler" in scheduler
    assert "scheduler" in app.cli.commands or "scheduler" in {c for c in app.cli.list_commands(None)}
    pdf = (DEPLOY / "systemd" / "replyflow-pdf.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/replyflow/.venv/bin/flask --app wsgi pdf-server --port 2003" in pdf
    assert "pdf-server" in app.cli.commands
    example = (DEPLOY / "replyflow.env.example").read_text(encoding="utf-8")
    assert "REPLYFLOW_PDF_SERVER=127.0.0.1:2003" in example


def test_nginx_takes_the_uploads_the_app_takes(app):
    conf = (DEPLOY / "nginx" / "replyflow.conf").read_text(encoding="utf-8")
    limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert limit * 1024 * 1024 >= app.config["MAX_CONTENT_LENGTH"]
    assert "X-Forwarded-For" in conf and "X-Forwarded-Proto" in conf
