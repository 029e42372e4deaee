"""Display names for audit-log actions and record types; unknown codes are shown as they are."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "user.activate": _l("启用账号"),
    "user.deactivate": _l("停用账号"),
    "user.role": _l("修改角色"),
    "organization.verify": _l("认证企业"),
    "organization.unverify": _l("撤销认证"),
    "taxonomy.add": _l("新增分类"),
    "taxonomy.update": _l("修改分类"),
    "taxonomy.move": _l("调整顺序"),
    "taxonomy.activate": _l("启用分类"),
    "taxonomy.deactivate": _l("停用分类"),
    "enablement.record": _l("登记赋能"),
    "enablement.reverse": _l("冲销赋能"),
    "enablement.import": _l("导入赋能记录"),
    "indicator.create": _l("新增指标"),
    "indicator.update": _l("修改指标"),
    "indicator.report": _l("填报指标完成值"),
    "settings.update": _l("修改平台设置"),
    "needs.approve": _l("通过需求"),
    "needs.reject": _l("退回需求"),
    "solutions.approve": _l("通过解决方案"),
    "solutions.reject": _l("退回解决方案"),
}

TARGET_LABELS = {
    "User": _l("用户"),
    "Organization": _l("企业/机构"),
    "Industry": _l("行业"),
    "TechDomain": _l("技术领域"),
    "ScenarioCategory": _l("场景大类"),
    "ScenarioSubcategory": _l("场景小类"),
    "District": _l("区市"),
    "Enablement": _l("赋能记录"),
    "Indicator": _l("指标"),
    "Need": _l("需求"),
    "Solution": _l("解决方案"),
}
