"""The office's article form, and the labels of categories and statuses."""

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, SubmitField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, Length, Optional

from app.articles import services
from app.articles.models import Article, ArticleCategory, ArticleStatus
from app.core.files import format_size
from app.core.forms import LineField, select_choices

CATEGORY_LABELS = {
    ArticleCategory.POLICY: _l("政策文件"),
    ArticleCategory.NOTICE: _l("通知公告"),
    ArticleCategory.NEWS: _l("工作动态"),
}
STATUS_LABELS = {
    ArticleStatus.DRAFT: _l("草稿"),
    ArticleStatus.SCHEDULED: _l("定时发布"),
    ArticleStatus.PUBLISHED: _l("已发布"),
    ArticleStatus.WITHDRAWN: _l("已撤回"),
}


class ArticleForm(FlaskForm):
    category = SelectField(_l("栏目"), choices=select_choices((c.value, label) for c, label in CATEGORY_LABELS.items()))
    title = LineField(_l("标题"), validators=[DataRequired(message=_l("请填写标题。")), Length(max=200)])
    summary = TextAreaField(
        _l("摘要"),
        validators=[Length(max=500, message=_l("摘要不能超过 500 字。"))],
        render_kw={"rows": 2},
        description=_l("列表和订阅中显示，不超过 500 字。"),
    )
    body = TextAreaField(
        _l("正文"),
        validators=[DataRequired(message=_l("请填写正文。")), Length(max=50_000)],
        render_kw={"rows": 14},
        description=_l("支持 Markdown：# 标题、**加粗**、- 列表、[链接](https://…)、表格。不支持 HTML。"),
    )
    publish_at = DateTimeLocalField(
        _l("发布时间"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("北京时间；不填则点“发布”时立即发布，填写将来的时间则到时自动发布。"),
    )
    files = MultipleFileField(
        _l("附件"),
        description=_l(
            "PDF 或 Excel（.xlsx），每个不超过 %(size)s，最多 %(count)d 个；按文件内容检查。",
            size=format_size(services.MAX_FILE_BYTES),
            count=services.MAX_FILES,
        ),
        render_kw={"accept": ".pdf,.xlsx"},
    )
    submit = SubmitField(_l("保存"))

    @classmethod
    def of(cls, article: Article | None) -> "ArticleForm":
        if article is None:
            return cls()
        local = to_user_timezone(article.publish_at).replace(tzinfo=None) if article.publish_at else None
        return cls(
            category=article.category.value,
            title=article.title,
            summary=article.summary,
            body=article.body,
            publish_at=local,
        )

    def values(self) -> services.ArticleValues:
        local = self.publish_at.data
        return services.ArticleValues(
            category=ArticleCategory(self.category.data),
            title=self.title.data or "",
            summary=self.summary.data or "",
            body=self.body.data or "",
            publish_at=to_utc(local) if local else None,
            uploads=[upload for upload in self.files.data or [] if upload and upload.filename],
        )
