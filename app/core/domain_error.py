"""The one base class of the errors a business rule raises to refuse a step.

Its message is for the user, already translated (`gettext`, or `lazy_gettext` at class level), so a
view shows it as it is: `run_step` rolls the step back and flashes it. A refusal that should read as a
caution rather than a failure sets `category = "warning"`.
"""


class DomainError(Exception):
    category = "danger"

    def __init__(self, message: str, *, category: str | None = None) -> None:
        super().__init__(message)
        if category:
            self.category = category
