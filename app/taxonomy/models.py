"""The taxonomy: industries, technology domains, scenario categories, districts.

Taxonomy codes are stable identifiers and never change; names are display text that admins edit.
A deactivated entry is hidden from new choices but stays on the records that use it.
"""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.bilingual import BilingualName
from app.extensions import Model


class TaxonomyMixin(BilingualName):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class Industry(TaxonomyMixin, Model):
    __tablename__ = "industries"


class TechDomain(TaxonomyMixin, Model):
    __tablename__ = "tech_domains"

    new_mode: Mapped[bool] = mapped_column(default=False)


class ScenarioCategory(TaxonomyMixin, Model):
    __tablename__ = "scenario_categories"

    subcategories: Mapped[list["ScenarioSubcategory"]] = relationship(
        back_populates="category", order_by="ScenarioSubcategory.position"
    )


class ScenarioSubcategory(TaxonomyMixin, Model):
    __tablename__ = "scenario_subcategories"

    category_id: Mapped[int] = mapped_column(ForeignKey("scenario_categories.id"), index=True)
    category: Mapped[ScenarioCategory] = relationship(back_populates="subcategories")


class District(TaxonomyMixin, Model):
    __tablename__ = "districts"

    # Other names people use for the district (e.g. 黄岛 for 西海岸新区), separated by 、
    aliases: Mapped[str] = mapped_column(String(200), default="")
