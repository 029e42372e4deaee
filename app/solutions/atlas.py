"""Published solutions on the atlas: a solution counts in each of its industries and domains,
and once in each row, column and the total."""

from sqlalchemy import distinct, func, select

from app.catalog.atlas import CountMatrix
from app.extensions import db
from app.listings.moderation import PUBLIC_STATUSES
from app.solutions.models import Solution, solution_domains, solution_industries


def solution_matrix() -> CountMatrix:
    public = select(Solution.id).where(Solution.status.in_(PUBLIC_STATUSES)).scalar_subquery()
    industry, domain = solution_industries.c, solution_domains.c
    cells = db.session.execute(
        select(industry.industry_id, domain.domain_id, func.count(distinct(industry.solution_id)))
        .join(solution_domains, domain.solution_id == industry.solution_id)
        .where(industry.solution_id.in_(public))
        .group_by(industry.industry_id, domain.domain_id)
    ).all()
    rows = db.session.execute(
        select(industry.industry_id, func.count(distinct(industry.solution_id)))
        .where(industry.solution_id.in_(public))
        .group_by(industry.industry_id)
    ).all()
    columns = db.session.execute(
        select(domain.domain_id, func.count(distinct(domain.solution_id)))
        .where(domain.solution_id.in_(public))
        .group_by(domain.domain_id)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Solution).where(Solution.status.in_(PUBLIC_STATUSES)))
    return CountMatrix(
        cells={(i, d): n for i, d, n in cells}, row_totals=dict(rows), column_totals=dict(columns), total=total or 0
    )
