from flask import get_flashed_messages

from app.core.domain_error import DomainError
from app.core.steps import run_step


def test_a_done_step_is_announced_in_the_category_it_asks_for(app):
    with app.test_request_context():
        assert run_step(lambda: 2, "plain") == 2
        run_step(lambda: 3, "notice", category="info")
        run_step(lambda: 4, lambda n: f"got {n}", category=lambda n: "warning" if n > 3 else "success")
        assert get_flashed_messages(with_categories=True) == [
            ("success", "plain"),
            ("info", "notice"),
            ("warning", "got 4"),
        ]


def test_a_refused_step_is_announced_in_its_error_category(app):
    def refuse():
        raise DomainError("no", category="info")

    with app.test_request_context():
        assert run_step(refuse, "never", category="warning") is None
        assert get_flashed_messages(with_categories=True) == [("info", "no")]
