"""How long a password hash and a whole login request take with the production scrypt cost.

Usage: .venv/bin/python bench/bench_login.py [--rounds N]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from werkzeug.security import check_password_hash, generate_password_hash

from app import create_app
from app.accounts import services
from app.extensions import db
from config import Config

PASSWORD = "bench-password-2026"


def timed(fn, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{label:<34} p50 {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   (n={len(samples)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    method = Config.PASSWORD_HASH_METHOD
    stored = generate_password_hash(PASSWORD, method=method)
    report(f"hash ({stored.split('$')[0]})", timed(lambda: generate_password_hash(PASSWORD, method=method), rounds))
    report("verify", timed(lambda: check_password_hash(stored, PASSWORD), rounds))

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            "testing",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "PASSWORD_HASH_METHOD": method,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            },
        )
        with app.app_context():
            upgrade()
            services.register_user("bench@example.com", "bench", PASSWORD)
            db.session.commit()
        client = app.test_client()

        def login_and_logout():
            with app.app_context():
                assert (
                    client.post("/login", data={"email": "bench@example.com", "password": PASSWORD}).status_code == 302
                )
                client.post("/logout")

        report("login + logout request (test client)", timed(login_and_logout, rounds))
        report(
            "failed login request",
            timed(
                lambda: client.post("/login", data={"email": "bench@example.com", "password": "wrong-password-1"}),
                rounds,
            ),
        )


if __name__ == "__main__":
    main()
