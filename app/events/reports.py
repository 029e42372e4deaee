"""The organiser's event report as a workbook: the figures, and one row per meeting."""

from flask_babel import gettext as _

from app.core.spreadsheets import xlsx_bytes
from app.core.templating import local_datetime
from app.events import agenda, outcomes
from app.events.forms import OUTCOME_LABELS, REGISTRATION_STATUS_LABELS
from app.events.models import Event


def workbook(event: Event) -> bytes:
    figures = outcomes.report(event)
    summary = [
        [str(label), figures.registrations.get(status, 0)] for status, label in REGISTRATION_STATUS_LABELS.items()
    ]
    summary += [
        [_("签到"), figures.checked_in],
        [_("洽谈邀约"), figures.requests],
        [_("已接受邀约"), figures.accepted],
        [_("排入日程的洽谈"), figures.meetings],
        [_("已举行的洽谈"), figures.held],
    ]
    summary += [[str(label), figures.outcomes.get(kind, 0)] for kind, label in OUTCOME_LABELS.items()]
    summary += [[_("签约金额（万元）"), figures.deal_amount], [_("融资金额（万元）"), figures.financing]]
    rows = []
    for meeting in agenda.meetings_of(event):
        request = meeting.request
        said = {o.registration_id: o for o in meeting.outcomes}
        rows.append(
            [
                local_datetime(meeting.slot.starts_at),
                meeting.table.name,
                request.requester.organization.name,
                request.recipient.organization.name,
                *(
                    str(OUTCOME_LABELS[said[r.id].kind]) if r.id in said else ""
                    for r in (request.requester, request.recipient)
                ),
            ]
        )
    by_institution = [[name or _("未注明机构"), meetings, amount] for name, meetings, amount in figures.by_institution]
    return xlsx_bytes(
        {
            _("概况"): ([_("项目"), _("数量")], summary),
            _("洽谈"): ([_("时段"), _("洽谈桌"), _("邀约方"), _("受邀方"), _("邀约方反馈"), _("受邀方反馈")], rows),
            _("融资机构"): ([_("融资机构"), _("洽谈场次"), _("融资金额（万元）")], by_institution),
        }
    )
