"""Who may see what of the scenario list's releases."""

from app.catalog.models import BatchStatus, ScenarioBatch


def can_view_batch(user, batch: ScenarioBatch) -> bool:
    """A released batch (published or withdrawn) is public; a draft only admins see."""
    return batch.status != BatchStatus.DRAFT or (user.is_authenticated and user.is_admin)
