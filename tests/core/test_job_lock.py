"""A daily job started while another run of it holds its lock (the same job on another node) does
nothing and says so; once that run is over, the job runs."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.job_lock import job_lock
from app.core.models import utcnow
from app.extensions import db
from app.mail.models import MailMessage

DAILY_JOBS = ["needs expire", "search alerts", "inquiries follow-up"]


@pytest.mark.parametrize("job", DAILY_JOBS)
def test_a_job_whose_lock_another_run_holds_does_nothing(app, job):
    with job_lock(job) as held:
        assert held
        result = app.test_cli_runner().invoke(args=job.split())
    assert result.exit_code == 0, result.output
    assert "another run" in result.output and "nothing done" in result.output


@pytest.mark.parametrize("job", DAILY_JOBS)
def test_a_lock_is_held_by_one_run_at_a_time(app, job):
    with job_lock(job) as first:
        with job_lock(job) as second:
            assert (first, second) == (True, False)
        with job_lock("another job") as other:
            assert other
    with job_lock(job) as again:
        assert again


def test_the_expiry_reminders_go_out_once_the_other_run_is_over(app, make_user, make_org, make_need):
    owner = make_user()
    need = make_need(make_org(owner=owner), owner, expires_at=utcnow() + timedelta(days=3))
    runner = app.test_cli_runner()
    with job_lock("needs expire"):
        skipped = runner.invoke(args=["needs", "expire"])
    db.session.refresh(need)
    assert "nothing done" in skipped.output and need.expiry_reminded_at is None
    assert db.session.scalar(select(func.count()).select_from(MailMessage)) == 0

    done = runner.invoke(args=["needs", "expire"])
    assert done.exit_code == 0 and "1 need(s) reminded" in done.output
    db.session.refresh(need)
    assert need.expiry_reminded_at is not None
    assert db.session.scalar(select(func.count()).where(MailMessage.recipient == owner.email)) == 1
