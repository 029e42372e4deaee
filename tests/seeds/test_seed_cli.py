from app.accounts.models import Organization, SiteRole, User
from app.extensions import db
from app.taxonomy.models import Industry
from seeds.demo import DEMO_PASSWORD
from seeds.ledger_demo import FIRMS, PROVIDERS


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(db.select(db.func.count(User.id))),
        db.session.scalar(db.select(db.func.count(Organization.id))),
        db.session.scalar(db.select(db.func.count(Industry.id))),
    )


def test_seed_demo_twice_adds_nothing_the_second_time(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo", "--ledger-rows", "50"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    assert after_first[:2] == (7, 4 + FIRMS + PROVIDERS)
    assert "Demo ledger: " in first.output
    second = runner.invoke(args=["seed", "demo", "--ledger-rows", "50"])
    assert second.exit_code == 0
    assert counts() == after_first
    assert "admin@demo.gongfu" in second.output and DEMO_PASSWORD in second.output


def test_every_demo_login_works(app, client):
    app.test_cli_runner().invoke(args=["seed", "demo", "--ledger-rows", "10"])
    emails = db.session.scalars(db.select(User.email)).all()
    for email in emails:
        response = client.post_form("/login", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/dashboard").status_code == 200
        client.post_form("/logout")


def test_seed_taxonomy_keep_names_preserves_admin_renames(app):
    runner = app.test_cli_runner()
    industry = db.session.scalar(db.select(Industry).where(Industry.code == "TEX"))
    industry.name = "纺织服装（含家纺）"
    db.session.commit()
    result = runner.invoke(args=["seed", "taxonomy", "--keep-names"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Industry, industry.id).name == "纺织服装（含家纺）"
    runner.invoke(args=["seed", "taxonomy"])
    db.session.expire_all()
    assert db.session.get(Industry, industry.id).name == "纺织服装"


def test_create_admin_creates_or_promotes(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "chief@example.com", "--password", "Chief-operator-2026"])
    assert result.exit_code == 0, result.output
    chief = db.session.scalar(db.select(User).where(User.email == "chief@example.com"))
    assert chief.site_role == SiteRole.ADMIN and chief.password_hash.startswith("scrypt:")
    existing = make_user("promote@example.com")
    runner.invoke(args=["users", "create-admin", "promote@example.com", "--password", "unused-password-1"])
    db.session.expire_all()
    assert db.session.get(User, existing.id).site_role == SiteRole.ADMIN


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "weak@example.com", "--password", "password"])
    assert result.exit_code != 0
    assert db.session.scalar(db.select(User).where(User.email == "weak@example.com")) is None
