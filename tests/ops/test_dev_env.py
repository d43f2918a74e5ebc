"""bin/dev-env: which database and broker `make run` / `make test` use, and the private cluster it starts."""

import importlib.machinery
import importlib.util
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BIN = Path(__file__).resolve().parents[2] / "bin" / "dev-env"


def load_dev_env():
    loader = importlib.machinery.SourceFileLoader("dev_env", str(BIN))
    spec = importlib.util.spec_from_loader("dev_env", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_env"] = module  # dataclasses look their module up while the class is built
    loader.exec_module(module)
    return module


dev_env = load_dev_env()


def no(*_args, **_kwargs):
    return False


def never_called(*_args, **_kwargs):
    raise AssertionError("must not be called")


def test_database_url_from_the_environment_wins(tmp_path):
    choice = dev_env.choose_database(
        {"DATABASE_URL": "postgres://u@db:5432/x"}, tmp_path, tcp=never_called, ensure=never_called, start=never_called
    )
    assert choice.exports == {"DATABASE_URL": "postgres://u@db:5432/x"}


def test_local_server_on_tcp_is_used_and_the_database_ensured(tmp_path):
    ensured = []
    choice = dev_env.choose_database(
        {},
        tmp_path,
        tcp=lambda host, port: True,
        binaries=lambda: None,
        ensure=lambda *args: ensured.append(args),
        start=never_called,
    )
    assert choice.exports["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/disengage"
    assert ensured == [(None, "127.0.0.1", 5432, "postgres")]


def test_default_socket_is_used_when_tcp_is_closed(tmp_path):
    choice = dev_env.choose_database(
        {},
        tmp_path,
        tcp=no,
        socket_dir=lambda port: "/var/run/postgresql",
        binaries=lambda: None,
        ensure=lambda *args: None,
        start=never_called,
    )
    assert choice.exports["DATABASE_URL"] == "postgres://postgres@:5432/disengage?host=/var/run/postgresql"


def test_private_cluster_when_only_the_binaries_exist(tmp_path):
    started = []

    def start(var_dir, bindir):
        started.append((var_dir, bindir))
        return dev_env.Choice({"DATABASE_URL": "private"})

    choice = dev_env.choose_database(
        {},
        tmp_path,
        tcp=no,
        socket_dir=lambda port: None,
        binaries=lambda: Path("/usr/lib/postgresql/15/bin"),
        ensure=lambda *a: None,
        start=start,
    )
    assert choice.exports == {"DATABASE_URL": "private"}
    assert started == [(tmp_path, Path("/usr/lib/postgresql/15/bin"))]


def test_no_postgresql_at_all_stops_with_a_clear_message(tmp_path):
    with pytest.raises(dev_env.SetupError) as error:
        dev_env.choose_database({}, tmp_path, tcp=no, socket_dir=lambda port: None, binaries=lambda: None)
    message = str(error.value)
    assert "DATABASE_URL" in message and "apt-get install postgresql" in message and "docker compose up" in message


def test_main_exits_2_and_prints_no_exports_without_postgresql(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dev_env, "tcp_answers", no)
    monkeypatch.setattr(dev_env, "find_socket_dir", lambda port=5432: None)
    monkeypatch.setattr(dev_env, "find_pg_binaries", lambda: None)
    assert dev_env.main({"DEV_ENV_VAR_DIR": str(tmp_path)}, []) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no PostgreSQL found" in captured.err


def test_broker_order(tmp_path):
    from_env = dev_env.choose_broker({"REDIS_URL": "redis://r:6379/1"}, tmp_path, ping=never_called)
    assert from_env.exports == {"REDIS_URL": "redis://r:6379/1", "CELERY_BROKER_URL": "redis://r:6379/1"}

    local = dev_env.choose_broker({"DEV_ENV_REDIS_DB": "15"}, tmp_path, ping=lambda host, port: True)
    assert local.exports["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/15"

    private = dev_env.choose_broker(
        {},
        tmp_path,
        ping=no,
        which=lambda name: "/usr/bin/redis-server",
        start=lambda var_dir, binary, db: dev_env.Choice({"CELERY_BROKER_URL": "private"}),
    )
    assert private.exports == {"CELERY_BROKER_URL": "private"}

    filesystem = dev_env.choose_broker({}, tmp_path, ping=no, which=lambda name: None, start=never_called)
    assert filesystem.exports == {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
    }
    assert (tmp_path / "broker" / "out").is_dir() and (tmp_path / "broker" / "processed").is_dir()


def test_filesystem_broker_settings(monkeypatch, tmp_path):
    """Without Redis the settings point Celery's filesystem transport at var/broker/."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_FOLDER": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']); print(repr(s.REDIS_URL))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=BIN.parents[1],
    ).stdout.split("\n")
    assert out[0] == f"{tmp_path}/out"
    assert out[1] == "''"


@pytest.mark.skipif(
    dev_env.find_pg_binaries() is None or shutil.which("redis-server") is None,
    reason="PostgreSQL server binaries and redis-server are installed on CI (.ci/run)",
)
@pytest.mark.slow
def test_private_cluster_and_redis_really_start():
    """The embedded default: a private cluster on its own socket, a private Redis, both usable, then stopped."""
    # Short path (socket names are limited to ~100 bytes) that the postgres account can reach when we are root.
    root = Path(tempfile.mkdtemp(prefix="devenv-", dir="/tmp"))  # noqa: S108
    root.chmod(0o755)
    var_dir = root / "var"
    env = {**os.environ, "DEV_ENV_VAR_DIR": str(var_dir), "DEV_ENV_PG_PORT": "1", "DEV_ENV_REDIS_PORT": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    try:
        result = subprocess.run([sys.executable, str(BIN)], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        exports = {
            name: value.strip("'")
            for name, value in (line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines())
        }
        url = exports["DATABASE_URL"]
        assert f"host={var_dir}/postgres/run" in url
        assert (var_dir / "postgres" / "data" / "PG_VERSION").exists()
        owner = pwd.getpwuid((var_dir / "postgres" / "data").stat().st_uid).pw_name
        assert owner == ("postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name)
        check = subprocess.run(["psql", url, "-Atc", "SELECT current_database()"], capture_output=True, text=True)
        assert check.stdout.strip() == "disengage", check.stderr
        assert exports["CELERY_BROKER_URL"].startswith("redis+socket://")
        import redis

        assert redis.Redis.from_url(exports["REDIS_URL"]).ping()
        # A second run finds both already running and changes nothing.
        again = subprocess.run([sys.executable, str(BIN)], env=env, capture_output=True, text=True, timeout=60)
        assert again.stdout == result.stdout
        assert "creating" not in again.stderr and "starting" not in again.stderr
    finally:
        subprocess.run([sys.executable, str(BIN), "--stop"], env=env, capture_output=True, timeout=60)
    assert not (var_dir / "postgres" / "data" / "postmaster.pid").exists()
    shutil.rmtree(root, ignore_errors=True)
