"""The wheel is the whole application, and the app refuses to start without its catalogs.

A checkout keeps templates/ and migrations/ at the top of the repository; the wheel carries them
inside the package, with the compiled .mo catalogs (setup.py). The slow test does what an
operator does: build the wheel, install it into a fresh virtualenv, run it from an empty folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from config import ConfigurationError, TestingConfig
from coordination import create_app
from coordination.db import db

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

#: Files the installed app reads besides its modules (the folders are compared in full below).
WHEEL_DATA_FILES = (
    "config.py",
    "coordination/migrations/alembic.ini",
    "coordination/migrations/env.py",
    "coordination/migrations/script.py.mako",
    "coordination/auth/data/common_passwords.txt",
    "coordination/demo/data/measures.toml",
    "coordination/demo/data/minutes.toml",
    "coordination/translations/nl/LC_MESSAGES/messages.mo",
    "coordination/translations/fr/LC_MESSAGES/messages.mo",
)

#: Words of the login page in each language (msgstr of "Log in" and "Password").
LOGIN_PAGE_WORDS = {
    "nl": ("<h1>Aanmelden</h1>", "Wachtwoord"),
    "fr": ("<h1>Se connecter</h1>", "Mot de passe"),
}

#: On the list of common passwords and long enough: refused only if the list was read.
COMMON_PASSWORD = "123456789012"


def test_a_checkout_uses_the_top_level_folders():
    app = create_app(TestingConfig)
    try:
        assert Path(app.template_folder or "") == ROOT / "templates"
        assert Path(app.extensions["migrate"].directory) == ROOT / "migrations"
        assert Path(app.instance_path) == ROOT / "instance"
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_missing_catalog_stops_the_app_with_the_fix(tmp_path):
    class WithoutCatalogs(TestingConfig):
        BABEL_TRANSLATION_DIRECTORIES = str(tmp_path)

    with pytest.raises(ConfigurationError) as raised:
        create_app(WithoutCatalogs)
    message = str(raised.value)
    assert "\n" not in message
    assert str(tmp_path / "nl" / "LC_MESSAGES" / "messages.mo") in message
    assert str(tmp_path / "fr" / "LC_MESSAGES" / "messages.mo") in message
    assert "make translations-compile" in message
    assert "pybabel compile -d coordination/translations" in message


def test_the_command_line_reports_a_missing_catalog_in_one_line(tmp_path):
    env = dict(
        os.environ,
        COORDINATION_ENV="testing",
        COORDINATION_DATABASE_URL="sqlite://",
        COORDINATION_BABEL_TRANSLATION_DIRECTORIES=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "coordination", "db", "current"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: Compiled translation catalog missing: ")


@pytest.mark.slow
def test_the_wheel_installs_and_serves_dutch_and_french_from_an_empty_folder(tmp_path):
    wheel = build_wheel(copy_of_the_sources(tmp_path / "source"), tmp_path / "dist")
    assert_wheel_holds_the_whole_app(wheel)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", "-c", str(CONSTRAINTS), str(wheel)],
        cwd=tmp_path, env=clean_environment(), timeout=900)  # fmt: skip

    workdir = tmp_path / "empty"
    workdir.mkdir()
    env = clean_environment(
        COORDINATION_ENV="development",
        COORDINATION_DATABASE_URL=f"sqlite:///{workdir / 'coordination.sqlite'}",
        COORDINATION_SECRET_KEY="packaging-test-secret-key-0123456789abcdef",
        COORDINATION_UPLOAD_DIR=str(workdir / "uploads"),
    )
    assert_app_runs_from_the_venv(venv, workdir, env)
    flask = [str(venv / "bin" / "flask"), "--app", "coordination"]
    run([*flask, "db", "upgrade"], cwd=workdir, env=env)
    run([*flask, "demo", "load"], cwd=workdir, env=env)
    refused = subprocess.run(
        [*flask, "users", "create", "--email", "new@example.org", "--name", "New Person",
         "--role", "secretariat", "--password-stdin"],
        cwd=workdir, env=env, input=f"{COMMON_PASSWORD}\n", capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "too common" in refused.stderr

    with served_by_gunicorn(venv, workdir, env) as base_url:
        for language, words in LOGIN_PAGE_WORDS.items():
            page = fetch(f"{base_url}/login", {"Accept-Language": language})
            for word in words:
                assert word in page, f"{language}: {word!r} not on the login page"
        assert "body" in fetch(f"{base_url}/static/css/app.css", {})


def copy_of_the_sources(target: Path) -> Path:
    """The files a fresh clone would have (the commit to be), without build output or .mo files.

    Building from a copy proves the build compiles the catalogs itself, and leaves no build/
    folder in the checkout, whose stale copies setuptools would otherwise put into later wheels.
    """
    listing = run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT
    ).stdout
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_file():  # tracked but deleted in the working tree: not in the commit
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())
    return target


def build_wheel(source: Path, dist: Path) -> Path:
    """Build the wheel with this environment's setuptools and Babel (the dev extra has both)."""
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
        cwd=source.parent, timeout=300)  # fmt: skip
    (wheel,) = dist.glob("coordination-*.whl")
    return wheel


def assert_wheel_holds_the_whole_app(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for folder, packaged in [
        ("templates", "coordination/templates"),
        ("migrations/versions", "coordination/migrations/versions"),
        ("coordination/static", "coordination/static"),
    ]:
        expected = {
            f"{packaged}/{path.relative_to(ROOT / folder).as_posix()}"
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        }
        assert expected, folder
        assert expected <= names, sorted(expected - names)
    missing = [name for name in WHEEL_DATA_FILES if name not in names]
    assert missing == [], missing


def assert_app_runs_from_the_venv(venv: Path, workdir: Path, env: dict[str, str]) -> None:
    """The installed package, its own templates and migrations, an instance folder in var/."""
    script = (
        "import coordination; app = coordination.create_app(); "
        "print(coordination.__file__, app.template_folder, "
        "app.extensions['migrate'].directory, app.instance_path, sep='\\n')"
    )
    output = run([str(venv / "bin" / "python"), "-c", script], cwd=workdir, env=env).stdout
    package, templates, migrations, instance = map(Path, output.split("\n")[:4])
    package_dir = package.parent
    assert package_dir.is_relative_to(venv / "lib"), package
    assert templates == package_dir / "templates"
    assert migrations == package_dir / "migrations"
    assert instance == venv / "var" / "coordination-instance"


def clean_environment(**settings: str) -> dict[str, str]:
    """This environment without what could reach the checkout (PYTHONPATH, the dev venv, our
    settings), plus ``settings``; proxies and pip's configuration stay for the install."""
    dropped = ("PYTHON", "VIRTUAL_ENV", "COORDINATION_", "FLASK_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.update(settings)
    return env


@contextmanager
def served_by_gunicorn(venv: Path, workdir: Path, env: dict[str, str]) -> Iterator[str]:
    """Serve the installed app on a free port; stop the server whatever happens."""
    port = free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "coordination:create_app()"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_serving(server, f"{base_url}/login")
        yield base_url
    finally:
        server.terminate()
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def wait_until_serving(server: subprocess.Popen[str], url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            pytest.fail(f"gunicorn stopped with code {server.returncode}:\n{output}")
        try:
            fetch(url, {})
            return
        except urllib.error.HTTPError:
            return  # it answers; the test's own request reports the error
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not serve {url} within {timeout} s")


def fetch(url: str, headers: dict[str, str]) -> str:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - a local http URL
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read().decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``command``; on failure show its output, which says why."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result
