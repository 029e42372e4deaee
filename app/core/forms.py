"""Forms several domains use."""

from typing import Protocol, TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectMultipleField, StringField, SubmitField

# SelectChoice is new in WTForms 3.3, which types-WTForms (3.2) does not cover yet
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.validators import has_control_characters

_T_co = TypeVar("_T_co", covariant=True)


class _Field(Protocol[_T_co]):
    @property
    def name(self) -> str: ...

    @property
    def data(self) -> _T_co | None: ...


def required_data(field: _Field[_T_co]) -> _T_co:
    """The data of a field that its form validated with DataRequired or InputRequired.

    That data is never None, but WTForms types every field's data as optional. Read before the
    form validated, None is an error in the code, not in the request.
    """
    data = field.data
    assert data is not None, f"required field {field.name!r} read before its form validated"
    return data


class LineField(StringField):
    """One line of text: every form's names, titles and other short text (e-mail addresses and web
    addresses too, with `widget=EmailInput()` or `URLInput()`); only TextAreaField takes several lines.

    Surrounding white space is dropped. Line breaks, other control characters and bidi overrides are
    refused: stored, they would break the mail headers and exports the text goes into, or show it
    as something else (tests/core/test_single_line.py checks every form uses this field).
    """

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data:
            self.data = self.data.strip()

    def pre_validate(self, form) -> None:
        if self.data and has_control_characters(self.data):
            raise StopValidation(_l("不能包含换行或控制字符。"))


class ConfirmForm(FlaskForm):
    """A button-only form: it carries the CSRF token of a destructive or state-changing action."""


class MultiCheckboxField(SelectMultipleField):
    option_widget = CheckboxInput()
    widget = ListWidget(prefix_label=False)


def select_choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class SpreadsheetForm(FlaskForm):
    """The upload of an import: previewed first, applied from the stored copy."""

    file = FileField(
        _l("表格文件"),
        validators=[
            FileRequired(message=_l("请选择文件。")),
            FileAllowed(["csv", "xlsx"], message=_l("只支持 .xlsx 或 .csv 文件。")),
        ],
        description=_l("CSV（UTF-8 或 GB18030）或 XLSX，不超过 20 MB、50,000 行；表头可用中文或英文列名。"),
    )
    submit = SubmitField(_l("上传并预览"))


class RejectForm(FlaskForm):
    """An admin sends a need or a solution back to its owner with the reason."""

    reason = LineField(
        _l("退回原因"), validators=[DataRequired(message=_l("请填写退回原因，发布者会看到它。")), Length(max=500)]
    )
    submit = SubmitField(_l("退回"))


def flash_errors(form: FlaskForm, category: str = "danger") -> None:
    """Say what was wrong with a form whose page redirects instead of re-rendering it."""
    for errors in form.errors.values():
        for error in errors:
            flash(error, category)
