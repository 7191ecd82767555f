"""Production settings stop on a missing secret and pass Django's deploy checks.

Each case runs in a fresh interpreter with a controlled environment: settings
are read once per process, and the test process runs on prapp.settings.test.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(tmp_path):
    """The smallest complete production environment, nothing else inherited."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "prapp.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "pr.example.ge",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prapp.sqlite3'}",
        "PRAPP_VAR_DIR": str(tmp_path / "var"),
    }


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def django_setup(env: dict) -> subprocess.CompletedProcess:
    return run(env, "-c", "import django; django.setup()")


def test_the_complete_environment_starts(production_env):
    result = django_setup(production_env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_a_missing_variable_stops_start_up_and_is_named(production_env, name):
    del production_env[name]
    result = django_setup(production_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {name} must be set." in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "too-short", "SECRET_KEY must be a random string"),
        ("SECRET_KEY", "insecure-" + "x" * 60, "SECRET_KEY must be a random string"),
        ("ALLOWED_HOSTS", " , ", "ALLOWED_HOSTS must name at least one host."),
    ],
)
def test_a_weak_value_stops_start_up(production_env, name, value, message):
    production_env[name] = value
    result = django_setup(production_env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_deploy_checks_pass(production_env):
    result = run(
        production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_fail_when_a_protection_is_switched_off(production_env):
    # Proves the check above can fail: HTTPS redirect off is a deploy warning.
    production_env["SECURE_SSL_REDIRECT"] = "false"
    result = run(
        production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr
