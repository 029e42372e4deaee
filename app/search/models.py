"""A member's saved search: the query of a list page, checked for new items."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.data_version import PrivateData
from app.core.models import TimestampMixin, utcnow
from app.extensions import Model


class SavedSearch(PrivateData, TimestampMixin, Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(60))
    q: Mapped[str] = mapped_column(String(100), default="")
    #: facet name → chosen values, as the list page's query string holds them.
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Items published after this are new to the member.
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
