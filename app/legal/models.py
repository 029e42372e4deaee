"""A version of the privacy policy or of the terms of use."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import enum_column, utcnow
from app.extensions import Model


class LegalKind(str, enum.Enum):
    PRIVACY = "privacy"
    TERMS = "terms"


KIND_LABELS = {LegalKind.PRIVACY: _l("隐私政策"), LegalKind.TERMS: _l("用户协议")}


class LegalDocument(Model):
    """Versions are never edited: publishing a change adds the next version, which members agree to anew."""

    __tablename__ = "legal_documents"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_legal_documents_kind_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LegalKind] = mapped_column(enum_column(LegalKind, "legal_kind"))
    version: Mapped[int]
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def title(self) -> str:
        return str(KIND_LABELS[self.kind])

    def body(self, language: str) -> str:
        return self.body_en if language == "en" and self.body_en.strip() else self.body_zh
