"""Throw-away sites for tests that run the real programs: manage.py, make, gunicorn.

site_env() gives the environment of a site with its own database (a new PostgreSQL database
when the suite runs on PostgreSQL, else an SQLite file), media and backup folders. Server runs
gunicorn on a free local port and stops it, and TcpProxy stands between the site and a service
so a test can cut the service off and bring it back without touching the machine's own servers.
"""

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


_static_root = None


def static_root():
    """collectstatic once per test run, for production settings (the manifest storage needs it)."""
    global _static_root
    if _static_root is None:
        root = tempfile.mkdtemp(prefix="newsroom-static-")
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        env = {**os.environ, "DJANGO_SECRET_KEY": "static-" + "x" * 40, "DJANGO_STATIC_ROOT": root}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            timeout=120,
        )
        _static_root = root
    return _static_root


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def site_env(tmp_path, *, database_port=None):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DJANGO_SECRET_KEY="live-test-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SERVE_MEDIA="1",
        DJANGO_STATIC_ROOT=static_root(),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_ORIGINALS_ROOT=str(tmp_path / "private"),
        NEWSROOM_BACKUP_DIR=str(tmp_path / "backups"),
        NEWSROOM_COMMENTS_MIN_FORM_AGE="0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.pop("REDIS_URL", None)
    database = None
    if connection.vendor == "postgresql":
        database = f"newsroom_live_{uuid.uuid4().hex[:8]}"
        settings = connection.settings_dict
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        host, port = settings["HOST"] or "127.0.0.1", database_port or settings["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{auth}@{host}:{port}/{database}"
        env["LIVE_DIRECT_DATABASE_URL"] = f"postgres://{auth}@{host}:{settings['PORT'] or 5432}/{database}"
    else:
        env["DATABASE_URL"] = env["LIVE_DIRECT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    try:
        yield env
    finally:
        if database:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def manage(env, *args, direct=True):
    """manage.py in the throw-away site (`direct`: past any proxy, straight to the database)."""
    env = {**env, "DATABASE_URL": env["LIVE_DIRECT_DATABASE_URL"]} if direct else env
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to check, not to follow


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


class Server:
    """gunicorn serving the throw-away site on a free port; its log is kept for the test to read."""

    def __init__(self, env, log_path, workers=2):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.get("/healthz/")[0] == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + Path(log_path).read_text())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def request(self, method, path, data=None, headers=None):
        request = urllib.request.Request(self.url(path), data=data, method=method, headers=headers or {})
        try:
            with _NO_REDIRECTS.open(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def log_text(self):
        self.log.flush()
        return Path(self.log_path).read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class TcpProxy:
    """Forwards a local port to a service; cut() drops every connection and refuses new ones, resume() ends that."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.connections = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in [(client, upstream), (upstream, client)]:
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.open = False
        with self.lock:
            for end in self.connections:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                    end.close()
            self.connections = []

    def resume(self):
        self.open = True

    def close(self):
        self.cut()
        self.listener.close()
