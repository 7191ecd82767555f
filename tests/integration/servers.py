"""Real PostgreSQL and Redis servers for the integration suite, on loopback.

Loaded with ``-p tests.integration.servers`` (see the Makefile's
``test-integration``): pytest-django reads the Django settings while pytest
loads its initial conftests, so the servers must be up and ``DATABASE_URL`` /
``CELERY_BROKER_URL`` set before that. Both servers live in one temporary
directory and stop when pytest ends, whether the tests passed or not.
"""

import atexit
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

_PG_PACKAGE_HINT = "apt-get install postgresql"
_REDIS_PACKAGE_HINT = "apt-get install redis-server"
_UNPRIVILEGED_USER = "nobody"


class ServerError(RuntimeError):
    """A server could not be found or started."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path:
    """The folder holding initdb and pg_ctl, or a ServerError naming the package."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    # Debian keeps the server binaries off PATH, one folder per major version.
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates += [Path(p) for p in versions]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise ServerError(
        "The integration suite needs a PostgreSQL server: no initdb/pg_ctl found "
        "(looked at `pg_config --bindir` and /usr/lib/postgresql/*/bin). "
        f"Install the Debian package `postgresql` ({_PG_PACKAGE_HINT})."
    )


def redis_binary() -> str:
    path = shutil.which("redis-server")
    if not path:
        raise ServerError(
            "The integration suite needs a Redis server: `redis-server` is not on "
            "PATH. Install the Debian package `redis-server` "
            f"({_REDIS_PACKAGE_HINT})."
        )
    return path


def _as_unprivileged(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to ``nobody`` when we are root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", _UNPRIVILEGED_USER, "--", *command]


def _run(command: list[str], what: str, **kwargs) -> None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise ServerError(
            f"{what} failed (exit {result.returncode}): {' '.join(command)}\n"
            f"{result.stdout}\n{result.stderr}"
        )


class Servers:
    """PostgreSQL and Redis in one temporary folder, started and stopped together."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="prapp-integration-"))
        self.pg_bindir: Path | None = None
        self.pg_data = self.root / "pgdata"
        self.pg_port = free_port()
        self.pg_started = False
        self.redis: subprocess.Popen | None = None
        self.redis_port = free_port()

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/prapp"

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def start(self) -> None:
        # Look both up first, so that a machine missing both hears about both.
        problems = []
        for finder in (postgres_bindir, redis_binary):
            try:
                finder()
            except ServerError as exc:
                problems.append(str(exc))
        if problems:
            raise ServerError("\n".join(problems))
        self._start_postgres()
        self._start_redis()

    def _start_postgres(self) -> None:
        self.pg_bindir = postgres_bindir()
        if os.geteuid() == 0:
            shutil.chown(self.root, user=_UNPRIVILEGED_USER)
        self.root.chmod(0o700)
        _run(
            _as_unprivileged(
                [
                    str(self.pg_bindir / "initdb"),
                    "--pgdata", str(self.pg_data),
                    "--username", "postgres",
                    "--auth", "trust",
                    "--encoding", "UTF8",
                    "--locale", "C.UTF-8",
                    "--no-sync",
                ]
            ),
            "initdb",
            cwd=self.root,
        )  # fmt: skip
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.pg_port}",
                f"-c unix_socket_directories={self.root}",
                # A throwaway cluster: durability only costs time here.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ]
        )
        _run(
            _as_unprivileged(
                [
                    str(self.pg_bindir / "pg_ctl"),
                    "--pgdata", str(self.pg_data),
                    "--log", str(self.root / "postgres.log"),
                    "--options", options,
                    "--wait",
                    "--timeout", "60",
                    "start",
                ]
            ),
            "pg_ctl start",
            cwd=self.root,
        )  # fmt: skip
        self.pg_started = True
        _run(
            _as_unprivileged(
                [
                    str(self.pg_bindir / "createdb"),
                    "--host", "127.0.0.1",
                    "--port", str(self.pg_port),
                    "--username", "postgres",
                    "prapp",
                ]
            ),
            "createdb",
            cwd=self.root,
        )  # fmt: skip

    def _start_redis(self) -> None:
        redis_dir = self.root / "redis"
        redis_dir.mkdir()
        self.redis = subprocess.Popen(
            [
                redis_binary(),
                "--bind", "127.0.0.1",
                "--port", str(self.redis_port),
                "--save", "",
                "--appendonly", "no",
                "--dir", str(redis_dir),
                "--protected-mode", "yes",
            ],
            stdout=(redis_dir / "redis.log").open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.redis.poll() is not None:
                log = (redis_dir / "redis.log").read_text()
                raise ServerError(f"redis-server exited at start:\n{log}")
            with socket.socket() as sock:
                sock.settimeout(0.5)
                if sock.connect_ex(("127.0.0.1", self.redis_port)) == 0:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            time.sleep(0.1)
        raise ServerError("redis-server did not answer PING within 30 seconds.")

    def stop(self) -> None:
        """Stop both servers and remove their folder; safe to call twice."""
        if self.redis is not None:
            self.redis.terminate()
            try:
                self.redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
                self.redis.wait()
            self.redis = None
        if self.pg_started:
            subprocess.run(
                _as_unprivileged(
                    [
                        str(self.pg_bindir / "pg_ctl"),
                        "--pgdata", str(self.pg_data),
                        "--mode", "immediate",
                        "--wait",
                        "stop",
                    ]
                ),
                capture_output=True,
                cwd=self.root,
                check=False,
            )  # fmt: skip
            self.pg_started = False
        shutil.rmtree(self.root, ignore_errors=True)


_servers: Servers | None = None


def current() -> Servers:
    """The running servers (the plugin must be loaded)."""
    if _servers is None:
        raise RuntimeError("tests.integration.servers is not loaded as a plugin.")
    return _servers


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _servers
    servers = Servers()
    # Registered first so that even a crash before pytest_unconfigure stops them.
    atexit.register(servers.stop)
    try:
        servers.start()
    except ServerError as exc:
        servers.stop()
        raise pytest.UsageError(f"Integration servers unavailable.\n{exc}") from None
    _servers = servers
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        # A CI timeout sends SIGTERM: end like Ctrl-C, so teardown still runs.
        signal.signal(signal.SIGTERM, _interrupt)
    os.environ["DATABASE_URL"] = servers.database_url
    os.environ["CELERY_BROKER_URL"] = servers.broker_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "prapp.settings.integration"
    yield


def pytest_unconfigure(config):
    if _servers is not None:
        _servers.stop()
