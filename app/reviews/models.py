"""A review round: weighted criteria, and each judge's scores of the subjects under review."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.models import TimestampMixin, enum_column
from app.extensions import Model


class RoundStatus(str, enum.Enum):
    OPEN = "open"  # judges score; each sees only their own scores
    CLOSED = "closed"  # scoring is over; the organiser sees every score and the ranking
    PUBLISHED = "published"  # the ranking is public


class ReviewRound(TimestampMixin, Model):
    """One round of judging of one set of subjects (`scope` names what owns it, e.g. "event:12")."""

    __tablename__ = "review_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus, "review_round_status"), default=RoundStatus.OPEN
    )
    closed_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="round", order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(Model):
    __tablename__ = "review_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    #: Percent of the total; a round's weights add up to 100.
    weight: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[ReviewRound] = relationship(back_populates="criteria")


class Score(TimestampMixin, Model):
    """A judge's score (0–10) of one subject against one criterion."""

    __tablename__ = "review_scores"
    __table_args__ = (UniqueConstraint("criterion_id", "judge_id", "subject_id", name="uq_review_scores_one"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("review_criteria.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    subject_id: Mapped[int]
    value: Mapped[int]

    criterion: Mapped[Criterion] = relationship()
    judge: Mapped[User] = relationship()
