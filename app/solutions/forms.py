"""Forms for publishing solutions, their reference cases and attachments."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.catalog.fields import MultiTaxonomyField, ScenarioCodesField, subcategory_choices, taxonomy_choices
from app.core.files import format_size
from app.core.forms import LineField, required_data, select_choices
from app.solutions.models import DeliveryMode, PriceModel
from app.solutions.services import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from app.taxonomy.models import Industry, ScenarioSubcategory, TechDomain

MAX_PRICE = 1_000_000  # 万元
FIRST_CASE_YEAR = 2000
DELIVERY_LABELS = {
    DeliveryMode.CLOUD: _l("云服务（SaaS）"),
    DeliveryMode.ON_PREMISE: _l("本地部署"),
    DeliveryMode.HYBRID: _l("云边协同"),
    DeliveryMode.SERVICE: _l("咨询与实施服务"),
}
PRICE_LABELS = {
    PriceModel.ONE_OFF: _l("一次性买断"),
    PriceModel.SUBSCRIPTION: _l("按年订阅"),
    PriceModel.PER_USE: _l("按次或按量计费"),
    PriceModel.NEGOTIABLE: _l("面议"),
}


class SolutionForm(FlaskForm):
    title = LineField(
        _l("方案名称"),
        validators=[DataRequired(message=_l("请填写方案名称。")), Length(max=100, message=_l("不超过 100 个字符。"))],
    )
    summary = LineField(
        _l("一句话简介"),
        validators=[
            DataRequired(message=_l("请用一句话介绍方案。")),
            Length(max=200, message=_l("不超过 200 个字符。")),
        ],
    )
    description = TextAreaField(
        _l("方案介绍"),
        validators=[DataRequired(message=_l("请介绍方案：解决什么问题、怎么做、效果如何。")), Length(max=10000)],
        render_kw={"rows": 8},
    )
    industries = MultiTaxonomyField(_l("适用行业"), validators=[DataRequired(message=_l("请至少选择一个适用行业。"))])
    domains = MultiTaxonomyField(_l("技术领域"), validators=[DataRequired(message=_l("请至少选择一个技术领域。"))])
    subcategories = MultiTaxonomyField(_l("场景小类"), description=_l("可多选（按住 Ctrl 或 ⌘ 点选），可不选。"))
    scenarios = ScenarioCodesField(_l("对应场景"))
    delivery_mode = SelectField(
        _l("交付方式"), choices=select_choices([(mode.value, label) for mode, label in DELIVERY_LABELS.items()])
    )
    price_model = SelectField(
        _l("计价方式"), choices=select_choices([(model.value, label) for model, label in PRICE_LABELS.items()])
    )
    price_min = DecimalField(
        _l("价格下限（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=MAX_PRICE, message=_l("请填写 0 到 1,000,000 之间的金额。"))],
    )
    price_max = DecimalField(
        _l("价格上限（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=MAX_PRICE, message=_l("请填写 0 到 1,000,000 之间的金额。"))],
    )
    plug_and_play = BooleanField(
        _l("“即插即用”模块化方案"), description=_l("标准化、可快速部署的模块，需填写前提条件、部署周期和包含内容。")
    )
    prerequisites = TextAreaField(
        _l("前提条件"),
        validators=[Optional(), Length(max=2000)],
        description=_l("企业需要先具备什么，例如设备联网、网络条件。"),
    )
    deployment_days = IntegerField(
        _l("部署周期（天）"),
        validators=[Optional(), NumberRange(min=1, max=3650, message=_l("请填写 1 到 3650 之间的天数。"))],
    )
    includes = TextAreaField(
        _l("包含内容"),
        validators=[Optional(), Length(max=2000)],
        description=_l("模块包含的软硬件与服务，例如网关、平台账号、培训。"),
    )
    save = SubmitField(_l("保存草稿"))
    submit_for_review = SubmitField(_l("保存并提交审核"))

    def __init__(self, *args, solution=None, **kwargs):
        super().__init__(*args, obj=solution, **kwargs)
        self.industries.choices = taxonomy_choices(Industry, solution.industries if solution else None)
        self.domains.choices = taxonomy_choices(TechDomain, solution.domains if solution else None)
        self.subcategories.choices = subcategory_choices(solution.subcategories if solution else None)
        if solution is not None and not self.is_submitted():
            self.industries.data = [i.id for i in solution.industries]
            self.domains.data = [d.id for d in solution.domains]
            self.subcategories.data = [s.id for s in solution.subcategories]
            self.delivery_mode.data = solution.delivery_mode.value
            self.price_model.data = solution.price_model.value

    def validate_price_max(self, field) -> None:
        low, high = self.price_min.data, field.data
        if low is not None and high is not None and low > high:
            raise ValidationError(_l("价格上限不能低于下限。"))

    def validate_price_model(self, field) -> None:
        if field.data != PriceModel.NEGOTIABLE.value and self.price_min.data is None and self.price_max.data is None:
            raise ValidationError(_l("请填写价格范围，或选择“面议”。"))

    def validate_plug_and_play(self, field) -> None:
        if not field.data:
            return
        missing = [
            str(f.label.text) for f in (self.prerequisites, self.deployment_days, self.includes) if f.data in (None, "")
        ]
        if missing:
            raise ValidationError(_l("“即插即用”方案须填写：%(fields)s。", fields="、".join(missing)))

    def values(self) -> dict:
        negotiable = self.price_model.data == PriceModel.NEGOTIABLE.value
        plug_and_play = bool(self.plug_and_play.data)
        return {
            "title": required_data(self.title).strip(),
            "summary": required_data(self.summary).strip(),
            "description": required_data(self.description).strip(),
            "industries": self.industries.entries_for(Industry),
            "domains": self.domains.entries_for(TechDomain),
            "subcategories": self.subcategories.entries_for(ScenarioSubcategory),
            "scenarios": self.scenarios.scenarios,
            "delivery_mode": DeliveryMode(self.delivery_mode.data),
            "price_model": PriceModel(self.price_model.data),
            "price_min": None if negotiable else self.price_min.data,
            "price_max": None if negotiable else self.price_max.data,
            "plug_and_play": plug_and_play,
            "prerequisites": (self.prerequisites.data or "").strip() if plug_and_play else "",
            "deployment_days": self.deployment_days.data if plug_and_play else None,
            "includes": (self.includes.data or "").strip() if plug_and_play else "",
        }


class CaseForm(FlaskForm):
    client = LineField(
        _l("客户名称"),
        validators=[DataRequired(message=_l("请填写客户名称。")), Length(max=100, message=_l("不超过 100 个字符。"))],
        description=_l("客户不愿公开名称时，可写“某汽车零部件企业”。"),
    )
    year = IntegerField(
        _l("实施年份"),
        validators=[DataRequired(message=_l("请填写四位数的实施年份，例如 2023。"))],
        render_kw={"inputmode": "numeric"},
    )
    work = TextAreaField(
        _l("实施内容"),
        validators=[
            DataRequired(message=_l("请说明为客户做了什么。")),
            Length(max=1000, message=_l("不超过 1000 个字符。")),
        ],
        render_kw={"rows": 4},
    )
    outcome = TextAreaField(
        _l("成效"),
        validators=[
            DataRequired(message=_l("请说明取得的成效，最好有数字。")),
            Length(max=1000, message=_l("不超过 1000 个字符。")),
        ],
        description=_l("例如：设备非计划停机减少 30%，年节约维修费用 50 万元。"),
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("保存案例"))

    def validate_year(self, field) -> None:
        this_year = date.today().year
        if field.data > this_year:
            raise ValidationError(_l("实施年份不能晚于今年（%(year)d 年）。", year=this_year))
        if field.data < FIRST_CASE_YEAR:
            raise ValidationError(_l("实施年份不能早于 %(year)d 年。", year=FIRST_CASE_YEAR))

    def values(self) -> dict:
        return {
            "client": required_data(self.client).strip(),
            "year": self.year.data,
            "work": required_data(self.work).strip(),
            "outcome": required_data(self.outcome).strip(),
        }


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("选择文件"),
        validators=[FileRequired(message=_l("请选择要上传的文件。"))],
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
        description=_l(
            "PDF、PNG 或 JPEG，单个不超过 %(size)s，每个方案最多 %(count)d 个。",
            size=format_size(MAX_ATTACHMENT_BYTES),
            count=MAX_ATTACHMENTS,
        ),
    )
    submit = SubmitField(_l("上传"))
