"""What a provider's members add to a solution besides its own fields: reference cases and
attachments.

Both are substance. A case is a claim about a client and a result, exactly what the office vets
before a solution goes public: adding or editing one sends a public solution back for review
through `moderation.substance_changed`, as editing its description does. Whether an edit of a
case is only a typo cannot be told, so every edit counts.

An attachment is a document the portal serves to the public under its own name, which may carry
the same claims (a case-study PDF) or anything else, so the office sees each one before it is
public too. A file added to a public solution is held on its own (`pending`): the solution stays
public, and the file is shown and served only to its organization and the admins until an admin
approves it; a rejected file is deleted. A file added to a draft or to a solution under review is
vetted with the solution. Deleting a case or a file withdraws a claim and adds none: that needs no
review.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from app.accounts.models import Organization, User
from app.core import files
from app.core.models import utcnow
from app.extensions import db
from app.listings import moderation
from app.solutions.models import Solution, SolutionAttachment, SolutionCase
from app.solutions.permissions import can_see_attachment

ATTACHMENTS = "solution-attachments"  # the folder in STORED_FILES_DIR
ATTACHMENT_KINDS = ("pdf", "png", "jpeg")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5


def add_case(solution: Solution, values: dict) -> bool:
    """Append a case; True when the solution went back for review."""
    moderation.editable(solution)
    position = max((case.position for case in solution.cases), default=0) + 1
    solution.cases.append(SolutionCase(position=position, **values))
    back_to_review = moderation.substance_changed(solution)
    db.session.flush()
    return back_to_review


def update_case(case: SolutionCase, values: dict) -> bool:
    """Apply an edit; True when the solution went back for review (an unchanged form changes nothing)."""
    moderation.editable(case.solution)
    changed = {name for name, value in values.items() if getattr(case, name) != value}
    for name in changed:
        setattr(case, name, values[name])
    back_to_review = bool(changed) and moderation.substance_changed(case.solution)
    db.session.flush()
    return back_to_review


def delete_case(case: SolutionCase) -> None:
    solution = moderation.editable(case.solution)
    solution.cases.remove(case)
    solution.updated_at = utcnow()
    db.session.flush()


def add_attachment(solution: Solution, upload: FileStorage, by: User) -> bool:
    """Keep the file if its content is allowed; True when it waits for review on its own.

    Raises `files.FileRefused`, having written nothing, when the solution has all its files
    already or the file is refused.
    """
    moderation.editable(solution)
    if len(solution.attachments) >= MAX_ATTACHMENTS:
        raise files.FileRefused(_l("每个方案最多 %(count)d 个附件，请先删除不需要的附件。", count=MAX_ATTACHMENTS))
    stored = files.store_checked(upload, ATTACHMENTS, ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES)
    try:
        solution.attachments.append(
            SolutionAttachment(
                original_name=stored.original_name,
                stored_name=stored.name,
                content_type=stored.mimetype,
                size_bytes=stored.size,
                uploaded_by=by,
                pending=solution.is_public,
            )
        )
        solution.updated_at = utcnow()
        db.session.flush()
    except Exception:
        files.remove_stored(ATTACHMENTS, stored.name)
        raise
    return solution.is_public


def visible_attachments(user: User, solution: Solution) -> list[SolutionAttachment]:
    return [attachment for attachment in solution.attachments if can_see_attachment(user, attachment)]


def pending_attachments() -> Select:
    """Files waiting for review, oldest first."""
    return (
        select(SolutionAttachment)
        .where(SolutionAttachment.pending.is_(True))
        .order_by(SolutionAttachment.created_at, SolutionAttachment.id)
    )


def _not_pending(attachment: SolutionAttachment) -> moderation.ModerationError:
    return moderation.ModerationError(
        _("附件“%(name)s”不在待审核状态。", name=attachment.original_name), category="warning"
    )


def approve_attachment(attachment: SolutionAttachment) -> None:
    if not attachment.pending:
        raise _not_pending(attachment)
    attachment.pending = False
    db.session.flush()


def reject_attachment(attachment: SolutionAttachment) -> str:
    """Drop a pending file's row; returns the stored name, whose file the caller removes once this
    is committed, as for `delete_attachment`."""
    if not attachment.pending:
        raise _not_pending(attachment)
    attachment.solution.attachments.remove(attachment)
    db.session.flush()
    return attachment.stored_name


def delete_attachment(attachment: SolutionAttachment) -> str:
    """Drop the row; returns the stored name, whose file the caller removes once this is committed
    (removing it earlier would lose the file of a row a failed commit keeps)."""
    solution = moderation.editable(attachment.solution)
    solution.attachments.remove(attachment)
    solution.updated_at = utcnow()
    db.session.flush()
    return attachment.stored_name


def published_by(org: Organization) -> list[Solution]:
    """What the provider's page lists: its public solutions, newest first, with their cases."""
    return list(
        db.session.scalars(
            moderation.public(Solution)
            .where(Solution.organization_id == org.id)
            .options(selectinload(Solution.cases))
            .order_by(Solution.published_at.desc(), Solution.id.desc())
        )
    )
