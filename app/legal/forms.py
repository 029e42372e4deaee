"""Editing a policy text (both languages, Markdown)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.legal.services import MAX_BODY


class LegalDocumentForm(FlaskForm):
    body_zh = TextAreaField(
        _l("中文文本"),
        validators=[DataRequired(message=_l("请填写中文文本。")), Length(max=MAX_BODY)],
        render_kw={"rows": 20},
        description=_l("Markdown 格式：# 标题、**加粗**、- 列表、[链接](https://…)。"),
    )
    body_en = TextAreaField(
        _l("英文文本"),
        validators=[DataRequired(message=_l("请填写英文文本。")), Length(max=MAX_BODY)],
        render_kw={"rows": 20},
    )
    submit = SubmitField(_l("发布新版本"))
