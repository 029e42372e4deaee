"""Forms several domains use."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A button-only form: it carries the CSRF token of a destructive or state-changing action."""
