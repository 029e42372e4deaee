from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import select_choices
from app.notifications.models import Topic
from app.notifications.services import TOPIC_LABELS


class MailTopicsForm(FlaskForm):
    topics = SelectMultipleField(
        _l("通过邮件接收"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        choices=select_choices((topic.value, label) for topic, label in TOPIC_LABELS.items()),
        description=_l("不勾选的类别仍会出现在站内消息中，只是不再发邮件。"),
    )
    submit = SubmitField(_l("保存"))

    def chosen(self) -> list[Topic]:
        return [Topic(value) for value in self.topics.data or []]
