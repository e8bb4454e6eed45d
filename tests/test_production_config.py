"""The production configuration refuses to start with unsafe defaults, and says which."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from replyflow import create_app

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://"}


def test_production_with_the_default_secret_refuses_to_start_and_says_why():
    with pytest.raises(RuntimeError) as refused:
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert "REPLYFLOW_SECRET_KEY" in str(refused.value) and "可被伪造" in str(refused.value)


@pytest.mark.parametrize("setting, value, named", [
    ("SECRET_KEY", "short-key", "REPLYFLOW_SECRET_KEY"),
    ("DEBUG", True, "DEBUG"),
    ("WTF_CSRF_ENABLED", False, "WTF_CSRF_ENABLED"),
    ("ARGON2_MEMORY_KIB", 8, "REPLYFLOW_ARGON2_MEMORY_KIB"),
    ("ARGON2_TIME_COST", 1, "REPLYFLOW_ARGON2_TIME_COST"),
    ("LOGIN_LOCK_AFTER", 0, "LOGIN_LOCK_AFTER"),
    ("SESSION_IDLE_MINUTES", 240, "SESSION_IDLE_MINUTES"),
])
def test_each_unsafe_setting_is_named(setting, value, named):
    with pytest.raises(RuntimeError) as refused:
        create_app("production", **{**GOOD, setting: value})
    assert named in str(refused.value)


def test_production_with_real_settings_starts():
    app = create_app("production", **GOOD)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_refusal_is_what_an_operator_sees_on_the_command_line(tmp_path):
    env = {**os.environ, "REPLYFLOW_CONFIG": "production", "REPLYFLOW_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    env.pop("REPLYFLOW_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "REPLYFLOW_SECRET_KEY" in result.stderr
    env["REPLYFLOW_SECRET_KEY"] = "s" * 40
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "生产配置下不能加载演示数据" in result.stderr + result.stdout
