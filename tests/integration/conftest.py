"""Fixtures of the integration suite: real Celery workers on the real servers."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.integration import servers

ROOT = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 60


@pytest.fixture(autouse=True, scope="session")
def _servers_plugin_loaded(request):
    """Fail, never skip, when the suite runs without its servers."""
    if not request.config.pluginmanager.has_plugin("tests.integration.servers"):
        pytest.fail(
            "tests/integration needs real PostgreSQL and Redis servers: run it "
            "with `make test-integration` (pytest -p tests.integration.servers).",
            pytrace=False,
        )
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def wait_for(condition, timeout: float, what: str, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.", pytrace=False)


def worker_database_url() -> str:
    """The URL of the test database pytest-django created, for worker processes."""
    db = connection.settings_dict  # NAME is the test database's name by now
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """One ``celery -A prapp worker`` process with its log file."""

    def __init__(self, log: Path, database_url: str):
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "prapp.settings.integration",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": servers.current().broker_url,
            "PYTHONUNBUFFERED": "1",
        }
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "prapp", "worker",
                "--pool=solo",
                "--without-mingle", "--without-gossip", "--without-heartbeat",
                "--include=tests.integration.worker_tasks",
                "--loglevel=INFO",
                f"--hostname=integration-{log.stem}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            # Its own process group, so that a kill reaches everything it started.
            start_new_session=True,
        )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        def ready():
            if self.process.poll() is not None:
                pytest.fail(
                    f"The worker exited ({self.process.returncode}):\n{self.output()}",
                    pytrace=False,
                )
            return " ready." in self.output()

        wait_for(ready, WORKER_START_TIMEOUT, f"the worker to start ({self.log})")

    def kill(self) -> None:
        """SIGKILL, as when the machine or container dies: no clean-up at all."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def redis_client():
    """A client of the suite's Redis; the broker starts each test empty."""
    client = redis.Redis.from_url(servers.current().broker_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def start_worker(transactional_db, redis_client, tmp_path):
    """Start real workers on the test database; every one is stopped afterwards."""
    started: list[Worker] = []
    database_url = worker_database_url()

    def start() -> Worker:
        worker = Worker(tmp_path / f"worker-{len(started) + 1}.log", database_url)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
