"""The portal's pages under load, against a bare Flask app under the same gunicorn settings, in one run.

Usage: .venv/bin/python bench/load_bench.py [--duration 10] [--data /tmp/gongfu-load-bench] [--only atlas]

The method of ../shared/tools/loadratio.sh: a bare Flask "hello" app and the portal (`wsgi:app`,
production configuration) each under gunicorn with 2 sync workers, both started at once; then, for
each page, wrk (Debian's /usr/bin/wrk) with 2 threads for `--duration` seconds on the bare app and
then on the page, each after a one-second warm-up. A page's share is of the bare app's requests/s
measured just before it, so that other work on the machine weighs on both alike. Anonymous pages run
at 16 connections; signed-in pages at 8 (the bare app too, for them) with the session cookie of a
demo account, which logs in through the login form over HTTP (as a browser does) before the runs.

The database is `make run`'s: the taxonomy, the plan, the programmes, 3,000 demo scenarios, the
search index and `flask seed demo`, built in `--data` (a SQLite file, the search index and the files)
the first time (about a minute) and reused after; `flask db upgrade` and the index check run each time.

Targets (issue 16): anonymous pages at least 30% of the bare app's requests/s with p99 < 100 ms;
signed-in pages at least 10% with p95 < 100 ms; no errors and no non-2xx responses.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BARE_PORT = 5811
PORTAL_PORT = 5812
DEMO_PASSWORD = "gongfu-demo-2026"
ANONYMOUS_SHARE = 0.30
SIGNED_IN_SHARE = 0.10
LATENCY_LIMIT_MS = 100.0

BARE_APP = """from flask import Flask
app = Flask(__name__)
@app.get("/")
def hello():
    return "<html><body>你好</body></html>"
"""

# wrk's summary as one JSON line, with the percentiles --latency does not print (p95).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "status": %d, "socket": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""

SEED_STEPS = (
    ("seed", "taxonomy", "--keep-names"),
    ("seed", "plan", "--keep"),
    ("seed", "programs", "--keep"),
    ("seed", "scenarios"),
)


@dataclass
class Page:
    label: str
    path: str
    account: str | None = None  # demo login email; None: anonymous


@dataclass
class Result:
    page: Page
    rps: float
    p50: float
    p95: float
    p99: float
    non_2xx: int
    errors: int
    bare_rps: float = 0.0  # the bare app's, measured right before this page

    @property
    def share(self) -> float:
        return self.rps / self.bare_rps


def environment(data: Path, secret_key: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi.py",
        FLASK_CONFIG="production",
        SECRET_KEY=secret_key,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{PORTAL_PORT}",
        DATABASE_URL=f"sqlite:///{data / 'gongfu.db'}",
        SEARCH_INDEX_DIR=str(data / "search-index"),
        STORED_FILES_DIR=str(data / "files"),
        CACHE_DIR=str(data / "cache"),
        MAIL_SEND_IN_BACKGROUND="0",
    )
    return env


def run(command: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if check and done.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stderr[-3000:]}")
    return done


def flask(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run([str(VENV_BIN / "flask"), *args], env, check)


def prepare_data(data: Path, env: dict[str, str]) -> None:
    """`make run`'s database in `data`, built once; migrated and its index checked every time."""
    ready = data / "seeded"
    data.mkdir(parents=True, exist_ok=True)
    print(f"data: {data} ({'reused' if ready.exists() else 'building, about a minute'})", flush=True)
    flask(env, "db", "upgrade")
    if not ready.exists():
        for step in SEED_STEPS:
            flask(env, *step)
    if flask(env, "search", "status", "--check", check=False).returncode != 0:
        flask(env, "search", "rebuild")
    if not ready.exists():
        flask(env, "seed", "demo")
        ready.touch()


def sample_paths(env: dict[str, str]) -> dict[str, str]:
    """Real ids and codes from the demo data: a scenario, its industry and domain, a solution, and
    enterprise1's published need."""
    script = """
import json
from sqlalchemy import select
from app import create_app
from app.accounts.models import User
from app.catalog.models import Scenario, ScenarioStatus
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.solutions.models import Solution
with create_app().app_context():
    scenario = db.session.scalars(select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED)
                                  .order_by(Scenario.id)).first()
    solution = db.session.scalars(select(Solution).where(Solution.status == ListingStatus.PUBLISHED)
                                  .order_by(Solution.id)).first()
    owner = db.session.scalar(select(User).where(User.email == "enterprise1@demo.gongfu"))
    need = db.session.scalars(select(Need).where(Need.status == ListingStatus.PUBLISHED,
                                                 Need.organization_id == owner.organization.id)
                              .order_by(Need.id)).first()
    print(json.dumps({"scenario": scenario.code, "industry": scenario.industry.code,
                      "domain": scenario.domains[0].code, "solution": solution.id, "need": need.id}))
"""
    done = run([str(VENV_BIN / "python"), "-c", script], env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def pages(sample: dict[str, str]) -> list[Page]:
    enterprise, admin = "enterprise1@demo.gongfu", "admin@demo.gongfu"
    return [
        Page("/", "/"),
        Page("/scenarios/", "/scenarios/"),
        Page("/scenarios/?q=预测性维护", "/scenarios/?q=" + quote("预测性维护")),
        Page("/scenarios/ with facets", f"/scenarios/?industry={sample['industry']}&domain={sample['domain']}"),
        Page("/scenarios/?q=&facets", f"/scenarios/?q={quote('数字孪生')}&industry={sample['industry']}"),
        Page("a scenario page", f"/scenarios/{sample['scenario']}"),
        Page("/atlas", "/atlas"),
        Page("/needs/", "/needs/"),
        Page("/solutions/", "/solutions/"),
        Page("a solution page", f"/solutions/{sample['solution']}"),
        Page("/events/", "/events/"),
        Page("/stats/public", "/stats/public"),
        Page("/pilots/", "/pilots/"),
        Page("/api/v1/scenarios", "/api/v1/scenarios"),
        Page("/api/v1/scenarios?q=数字孪生", "/api/v1/scenarios?q=" + quote("数字孪生")),
        Page("enterprise dashboard", "/dashboard", enterprise),
        Page("/inbox/", "/inbox/", enterprise),
        Page("a need's recommendations", f"/needs/{sample['need']}", enterprise),
        Page("/stats/ (admin)", "/stats/", admin),
    ]


def serve(port: int, app: str, env: dict[str, str], chdir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(chdir), app],
        cwd=chdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def login(email: str) -> str:
    """A signed-in session's Cookie header, through the login form as a browser posts it."""
    conn = http.client.HTTPConnection("127.0.0.1", PORTAL_PORT, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    cookies = _cookies(response)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode())
    if token is None:
        raise SystemExit("the login form has no CSRF token")
    body = f"email={quote(email)}&password={quote(DEMO_PASSWORD)}&csrf_token={quote(token.group(1))}"
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": f"http://127.0.0.1:{PORTAL_PORT}",
            "Referer": f"http://127.0.0.1:{PORTAL_PORT}/login",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies.update(_cookies(response))
    if response.status != 302:
        raise SystemExit(f"login as {email} answered {response.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch(url: str, cookie: str | None) -> None:
    host, _, path = url.removeprefix("http://").partition("/")
    conn = http.client.HTTPConnection(host, timeout=60)
    conn.request("GET", "/" + path, headers={"Cookie": cookie} if cookie else {})
    conn.getresponse().read()


def run_wrk(url: str, duration: int, connections: int, script: Path, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("WRK "))
    return json.loads(line[4:])


def measure(page: Page, url: str, args: argparse.Namespace, script: Path, cookie: str | None) -> Result:
    connections = args.signed_in_connections if page.account else args.connections
    for _ in range(2):  # warm-up: one at a time (the first fills the cache), then both workers
        fetch(url, cookie)
    run_wrk(url, 1, connections, script, cookie)
    report = run_wrk(url, args.duration, connections, script, cookie)
    return Result(
        page=page,
        rps=report["requests"] / (report["duration_us"] / 1e6),
        p50=report["p50"] / 1000,
        p95=report["p95"] / 1000,
        p99=report["p99"] / 1000,
        non_2xx=report["status"],
        errors=report["socket"],
    )


def met(result: Result) -> bool:
    share = ANONYMOUS_SHARE if result.page.account is None else SIGNED_IN_SHARE
    latency = result.p95 if result.page.account else result.p99
    return result.share >= share and latency < LATENCY_LIMIT_MS and not result.non_2xx and not result.errors


def print_table(results: list[Result]) -> None:
    bare = [r.bare_rps for r in results]
    print(f"\nbare Flask: {min(bare):,.0f} to {max(bare):,.0f} requests/s, {sum(bare) / len(bare):,.0f} on average\n")
    print("| page | requests/s | p50 | p95 / p99 | non-2xx | share of bare Flask | target met |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        if r.page.account:
            tail, who = f"p95 {r.p95:.1f} ms", f" (signed in, {r.page.account.split('@')[0]})"
        else:
            tail, who = f"p99 {r.p99:.1f} ms", ""
        errors = f"{r.non_2xx}" + (f" + {r.errors} socket errors" if r.errors else "")
        print(
            f"| `{r.page.label}`{who} | {r.rps:,.0f} | {r.p50:.1f} ms | {tail} | {errors} | "
            f"{r.share:.1%} | {'yes' if met(r) else 'NO'} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, anonymous pages")
    parser.add_argument("--signed-in-connections", type=int, default=8, help="wrk connections, signed-in pages")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gongfu-load-bench")
    parser.add_argument("--only", default="", help="only the pages whose label contains this text")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    data = args.data.resolve()
    env = environment(data, secrets.token_hex(32))
    prepare_data(data, env)
    sample = sample_paths(env)
    chosen = [page for page in pages(sample) if args.only in page.label]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bare.py").write_text(BARE_APP, encoding="utf-8")
        script = folder / "report.lua"
        script.write_text(WRK_REPORT, encoding="utf-8")
        shutil.rmtree(data / "cache", ignore_errors=True)
        bare_server = serve(BARE_PORT, "bare:app", env, folder)
        portal = serve(PORTAL_PORT, "wsgi:app", env, ROOT)
        try:
            wait_until_up(BARE_PORT)
            wait_until_up(PORTAL_PORT)
            cookies = {email: login(email) for email in {p.account for p in chosen if p.account}}
            results = []
            for page in chosen:
                cookie = cookies[page.account] if page.account else None
                bare = measure(page, f"http://127.0.0.1:{BARE_PORT}/", args, script, None)
                result = measure(page, f"http://127.0.0.1:{PORTAL_PORT}{page.path}", args, script, cookie)
                result.bare_rps = bare.rps
                print(f"{page.label}: {result.rps:,.0f} requests/s, bare Flask {bare.rps:,.0f}", flush=True)
                results.append(result)
        finally:
            stop(portal)
            stop(bare_server)
    print_table(results)
    sys.exit(0 if all(met(r) for r in results) else 1)


if __name__ == "__main__":
    main()
