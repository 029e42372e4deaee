"""The organiser's scoring criteria, typed one a line as “名称 权重”, and a judge's scores as posted."""

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from app.core.numbers import parse_int
from app.reviews.models import Criterion, ReviewRound
from app.reviews.services import MAX_VALUE


def criteria_field() -> TextAreaField:
    return TextAreaField(
        _l("评分标准"),
        validators=[DataRequired(message=_l("请填写评分标准。"))],
        render_kw={"rows": 5},
        description=_l("每行一项：名称 权重，如“创新性 40”；权重合计 100。"),
    )


def parse_criteria(text: str | None) -> list[tuple[str, int]]:
    """(name, weight) pairs; the weights' sum is checked by `reviews.set_criteria`."""
    parsed = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, weight = line.strip().rpartition(" ")
        if not name.strip() or not weight.isdigit():
            raise ValidationError(_l("“%(line)s”应写成“名称 权重”。", line=line.strip()))
        parsed.append((name.strip()[:50], int(weight)))
    return parsed


def parse_scores(form: Mapping[str, str], criteria: Iterable[Criterion]) -> dict[int, int]:
    """{criterion id: score} from the fields `c<criterion id>`. A criterion left blank or scored with
    anything but a whole number from 0 to 10 is left out, and `services.score` refuses the lot."""
    scores = {criterion.id: parse_int(form.get(f"c{criterion.id}"), 0, MAX_VALUE) for criterion in criteria}
    return {criterion: value for criterion, value in scores.items() if value is not None}


def criteria_text(review: ReviewRound) -> str:
    return "\n".join(f"{c.name} {c.weight}" for c in review.criteria)


class CriteriaForm(FlaskForm):
    criteria = criteria_field()
    submit = SubmitField(_l("保存评分标准"))

    def validate_criteria(self, field) -> None:
        self.parsed = parse_criteria(field.data)
