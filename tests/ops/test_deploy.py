"""The production recipe in deploy/ agrees with itself and with the app: gunicorn's settings load
and are gunicorn's, nginx accepts its site and passes what the app accepts, and every job the
timers start is a command of `flask`."""

import logging.config
import multiprocessing
import re
import runpy
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from gunicorn.config import Config as GunicornConfig
from pythonjsonlogger.json import JsonFormatter

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "gongfu.conf"
SYSTEMD = DEPLOY / "systemd"
DAILY_AND_MINUTELY_JOBS = {
    ("needs", "expire"),
    ("search", "alerts"),
    ("inquiries", "follow-up"),
    ("mail", "send"),
    ("articles", "release"),
}


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    return {name: value for name, value in namespace.items() if not name.startswith("_") and not callable(value)}


def _nginx(directive: str) -> list[str]:
    """The values of every `directive ...;` in the nginx site."""
    return [m.group(1).strip() for m in re.finditer(rf"^\s*{directive}\s+([^;]+);", NGINX_SITE.read_text(), re.M)]


def _env_example() -> dict[str, str]:
    lines = (DEPLOY / "gongfu.env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def _unit(path: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


def test_gunicorn_settings_are_gunicorns_and_valid(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)
    checked = GunicornConfig()
    unknown = sorted(
        name for name in settings if name not in checked.settings and name not in ("os", "multiprocessing")
    )
    assert unknown == []
    for name, value in settings.items():
        if name in checked.settings:
            checked.set(name, value)  # gunicorn's own validation: raises on a wrong type or value
    assert checked.worker_class_str == "sync"
    assert checked.workers > multiprocessing.cpu_count()  # the cores busy, and one more for I/O waits
    assert checked.preload_app is False
    assert checked.accesslog == "-"


def test_gunicorn_workers_and_bind_follow_the_environment(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="127.0.0.1:8123")
    assert (settings["workers"], settings["bind"]) == (3, "127.0.0.1:8123")


def test_with_json_logs_gunicorn_writes_json_and_leaves_the_access_log_to_the_app(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, LOG_FORMAT="json")
    assert settings["accesslog"] is None
    config = settings["logconfig_dict"]
    formatter = logging.config.DictConfigurator(config).configure_formatter(dict(config["formatters"]["json"]))
    assert isinstance(formatter, JsonFormatter)
    assert config["root"]["handlers"] == ["json"]


def test_nginx_forwards_to_gunicorn(monkeypatch):
    bind = _gunicorn_settings(monkeypatch)["bind"]
    upstream = re.search(r"upstream gongfu_app \{\s*server ([^;]+);", NGINX_SITE.read_text())
    assert upstream and upstream.group(1) == bind


def test_nginx_accepts_the_uploads_the_app_accepts(app):
    (size,) = set(_nginx("client_max_body_size"))
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", size.lower()).groups()
    assert int(number) * 1024 ** " kmg".index(unit or " ") == app.config["MAX_CONTENT_LENGTH"]


def test_nginx_serves_the_host_the_app_trusts():
    env = _env_example()
    names = {name for value in _nginx("server_name") for name in value.split()} - {"_"}
    assert names == set(env["TRUSTED_HOSTS"].split(","))
    assert urlsplit(env["PUBLIC_BASE_URL"]).hostname in names
    assert env["TRUSTED_PROXIES"] == "1"  # nginx is the one proxy (deploy/nginx/gongfu-proxy.conf)


def test_nginx_serves_the_apps_static_folder_from_the_checkout(app):
    service = _unit(SYSTEMD / "gongfu.service")
    (checkout,) = service["WorkingDirectory"]
    (alias,) = _nginx("alias")
    static = Path(app.static_folder).relative_to(ROOT)
    assert alias == f"{checkout}/{static.as_posix()}/"
    included = {Path(value) for value in _nginx("include")}
    assert {path.relative_to(checkout) for path in included} == {Path("deploy/nginx/gongfu-proxy.conf")}


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None, reason="needs nginx and openssl")
def test_nginx_accepts_the_site(tmp_path):
    """`nginx -t` on the site inside a minimal nginx.conf, with a throwaway certificate and the
    checkout's paths for /srv/gongfu."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = NGINX_SITE.read_text().replace("/srv/gongfu", str(ROOT))
    site = re.sub(r"/etc/letsencrypt/live/[^;]+/fullchain\.pem", str(tmp_path / "cert.pem"), site)
    site = re.sub(r"/etc/letsencrypt/live/[^;]+/privkey\.pem", str(tmp_path / "key.pem"), site)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"error_log stderr;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _flask_commands() -> dict[str, list[str]]:
    """Each unit's `flask ...` arguments."""
    found = {}
    for path in sorted(SYSTEMD.glob("*.service")):
        for command in _unit(path).get("ExecStart", []):
            program, *args = command.split()
            if Path(program).name == "flask":
                found[path.name] = args
    return found


def test_every_job_is_a_flask_command(app):
    commands = _flask_commands()
    runner = app.test_cli_runner()
    failed = {}
    for unit, args in commands.items():
        result = runner.invoke(args=[*args, "--help"])
        if result.exit_code != 0:
            failed[unit] = result.output
    assert failed == {}
    assert {tuple(args[:2]) for args in commands.values()} >= DAILY_AND_MINUTELY_JOBS


def test_every_timer_starts_a_service_and_every_job_has_a_timer():
    timers = {path.stem for path in SYSTEMD.glob("*.timer")}
    services = {path.stem for path in SYSTEMD.glob("*.service")}
    assert timers == services - {"gongfu"}
    for timer in timers:
        assert _unit(SYSTEMD / f"{timer}.timer").get("OnCalendar"), timer


def test_the_app_unit_runs_gunicorn_with_the_recipes_settings():
    service = _unit(SYSTEMD / "gongfu.service")
    (command,) = service["ExecStart"]
    program, *args = command.split()
    assert Path(program).name == "gunicorn"
    config = args[args.index("-c") + 1]
    assert (ROOT / config).is_file() and (ROOT / config) == DEPLOY / "gunicorn.conf.py"
    assert args[-1] == "wsgi:app" and (ROOT / "wsgi.py").is_file()
    (env_file,) = service["EnvironmentFile"]
    assert all(_unit(path)["EnvironmentFile"] == [env_file] for path in SYSTEMD.glob("*.service"))
