"""docker-compose.yml is valid and every service in it has a healthcheck.

Debian's docker-compose (v1) validates and resolves the file offline; no Docker
engine is needed. PyYAML is not a project dependency, so the resolved file is
parsed by the Python that docker-compose itself runs on (it needs PyYAML).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat"}
APP_SERVICES = {"migrate", "web", "worker", "beat"}


@pytest.fixture
def compose(tmp_path):
    """Run docker-compose on the project's file with a dummy env file."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail(
            "docker-compose is not installed: install the Debian package "
            "`docker-compose` (apt-get install docker-compose) to check "
            "docker-compose.yml.",
            pytrace=False,
        )
    env_file = tmp_path / "prapp.env"
    values = {
        "SECRET_KEY": "dummy-secret-key-for-the-compose-check-" + "x" * 30,
        "ALLOWED_HOSTS": "press.example.ge",
        "POSTGRES_PASSWORD": "dummy-password",
    }
    env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PRAPP_ENV_FILE": str(env_file),
        **values,
    }

    def run(*args, **overrides) -> subprocess.CompletedProcess:
        return subprocess.run(
            [binary, "-f", "docker-compose.yml", *args],
            cwd=ROOT,
            env={**env, **overrides},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    run.binary = binary
    return run


def resolved(compose) -> dict:
    result = compose("config")
    assert result.returncode == 0, result.stderr
    interpreter = Path(compose.binary).read_text().splitlines()[0].removeprefix("#!")
    parsed = subprocess.run(
        [*interpreter.split(), "-c",
         "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
        input=result.stdout, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if parsed.returncode != 0:
        pytest.fail(f"Could not parse the resolved file:\n{parsed.stderr}")
    return json.loads(parsed.stdout)


def test_the_compose_file_is_valid(compose):
    result = compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_a_missing_database_password_is_refused(compose):
    result = compose("config", "-q", POSTGRES_PASSWORD="")
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_every_service_has_a_healthcheck(compose):
    services = resolved(compose)["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name} disables its healthcheck"


def test_the_app_services_run_production_settings_on_the_compose_servers(compose):
    config = resolved(compose)
    services = config["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "prapp.settings.production"
        assert env["DATABASE_URL"] == (
            "postgres://prapp:dummy-password@postgres:5432/prapp"
        )
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        # Values of the env file reach the containers.
        assert env["ALLOWED_HOSTS"] == "press.example.ge"
        assert any(v.startswith("media:") for v in services[name]["volumes"])
    web = services["web"]
    assert "gunicorn" in web["command"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    # Published on loopback only: the TLS reverse proxy sits in front.
    assert [p.removesuffix("/tcp") for p in web["ports"]] == ["127.0.0.1:8000:8000"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    redis_command = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis_command
    assert "--maxmemory-policy noeviction" in redis_command
    assert services["postgres"]["image"].startswith("postgres:15")
    assert {"postgres-data", "redis-data", "media"} <= set(config["volumes"])


def test_the_image_installs_requirements_like_the_makefile():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'pip install "setuptools<81" wheel' in dockerfile
    assert "pip install --no-build-isolation -r requirements.txt" in dockerfile
    assert "gettext" in dockerfile
    assert "compilemessages" in dockerfile
    assert "collectstatic" in dockerfile
