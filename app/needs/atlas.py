"""Open needs on the atlas: per industry × technology domain."""

from sqlalchemy import func, select

from app.catalog.atlas import CountMatrix, matrix_from_rows
from app.extensions import db
from app.listings.moderation import PUBLIC_STATUSES
from app.needs.models import Need, need_domains


def need_matrix() -> CountMatrix:
    public = Need.status.in_(PUBLIC_STATUSES)
    cells = db.session.execute(
        select(Need.industry_id, need_domains.c.domain_id, func.count())
        .join(need_domains, need_domains.c.need_id == Need.id)
        .where(public)
        .group_by(Need.industry_id, need_domains.c.domain_id)
    ).all()
    rows = db.session.execute(select(Need.industry_id, func.count()).where(public).group_by(Need.industry_id)).all()
    return matrix_from_rows(cells, rows)
