from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length

from app.core.forms import LineField


class SaveSearchForm(FlaskForm):
    """Saves the list page's current query (carried in `query` as its query string)."""

    doc_type = HiddenField(validators=[DataRequired()])
    query = HiddenField(validators=[Length(max=2000)])
    name = LineField(_l("订阅名称"), validators=[Length(max=60, message=_l("名称不能超过 60 个字。"))])
    submit = SubmitField(_l("保存搜索并提醒我"))
