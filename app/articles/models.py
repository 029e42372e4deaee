"""Articles the office publishes: policy documents (政策文件), notices (通知公告) and news of its work
(工作动态), with their attachments."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.models import StoredFileMixin, TimestampMixin, enum_column, utcnow
from app.extensions import Model


class ArticleCategory(str, enum.Enum):
    POLICY = "policy"  # 政策文件
    NOTICE = "notice"  # 通知公告
    NEWS = "news"  # 工作动态


class ArticleStatus(str, enum.Enum):
    DRAFT = "draft"
    #: published with a publish time still to come: public from that time on
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Article(TimestampMixin, Model):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_public", "status", "publish_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[ArticleCategory] = mapped_column(enum_column(ArticleCategory, "article_category"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: Markdown, shown through app.core.rich_text
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ArticleStatus] = mapped_column(
        enum_column(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT
    )
    #: When it becomes public (naive UTC); set when it is published, earlier or later than that moment.
    publish_at: Mapped[datetime | None]
    pinned: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship()
    attachments: Mapped[list["ArticleAttachment"]] = relationship(
        back_populates="article", order_by="ArticleAttachment.id", cascade="all, delete-orphan"
    )


class ArticleAttachment(StoredFileMixin, Model):
    """Downloadable by everyone once its article is public; by admins before."""

    __tablename__ = "article_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)

    article: Mapped[Article] = relationship(back_populates="attachments")
