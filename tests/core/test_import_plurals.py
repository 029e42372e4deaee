"""The import preview counts its problems and rows in English with proper plurals."""

from flask import get_template_attribute
from flask_babel import force_locale


def _problems_alert(count: int) -> str:
    table = get_template_attribute("_macros/imports.html", "problems_table")
    html = str(table([{"row": n, "column": "A", "message": "x"} for n in range(count)], 10, "/"))
    return html[html.index('class="alert') : html.index("</div>")]


def test_the_problem_count_is_singular_for_one_and_plural_for_more(app):
    with app.test_request_context(), force_locale("en"):
        assert "Found 1 problem," in _problems_alert(1)
        assert "Found 3 problems," in _problems_alert(3)
    with app.test_request_context():
        assert "发现 3 个问题" in _problems_alert(3)
