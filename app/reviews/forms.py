"""The organiser's scoring criteria, typed one a line as “名称 权重”."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from app.reviews.models import ReviewRound


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


def criteria_text(review: ReviewRound) -> str:
    return "\n".join(f"{c.name} {c.weight}" for c in review.criteria)


class CriteriaForm(FlaskForm):
    criteria = criteria_field()
    submit = SubmitField(_l("保存评分标准"))

    def validate_criteria(self, field) -> None:
        self.parsed = parse_criteria(field.data)
