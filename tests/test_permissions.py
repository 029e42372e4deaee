"""The role × action table: every route, every kind of visitor, the expected status.

A route added to the app without a row here fails `test_every_route_is_in_the_table`.
"""

import inspect

import pytest

from app.accounts import permissions as accounts
from app.accounts.models import Organization
from app.events import permissions as events
from app.events.models import Event, Meeting, MeetingRequest, Registration
from app.extensions import db
from app.inquiries import permissions as inquiries
from app.inquiries.models import Inquiry
from app.listings.permissions import can_manage_listing
from app.matching.permissions import can_see_recommended_needs
from app.needs.models import Need
from app.needs.permissions import can_post_need
from app.personal_data.permissions import can_download_own_data, can_request_account_deletion
from app.pilots import permissions as pilots
from app.pilots.models import PilotApplication
from app.solutions.models import Solution
from app.solutions.permissions import can_post_solution
from tests.conftest import PASSWORD

ROLES = ("anonymous", "other_member", "member", "owner", "expert", "admin")


def statuses(anonymous, other_member, member, owner, expert, admin):
    return dict(zip(ROLES, (anonymous, other_member, member, owner, expert, admin), strict=True))


PUBLIC = statuses(200, 200, 200, 200, 200, 200)
SIGNED_IN = statuses(302, 200, 200, 200, 200, 200)
ADMIN_ONLY = statuses(302, 403, 403, 403, 403, 200)
ADMIN_ACTION = statuses(302, 403, 403, 403, 403, 302)
GUEST_ONLY = statuses(200, 302, 302, 302, 302, 302)
OWNER_ACTION = statuses(302, 403, 403, 302, 403, 403)
IN_AN_ORGANIZATION = statuses(302, 200, 200, 200, 403, 403)
ORG_MEMBERS = statuses(302, 403, 200, 200, 403, 403)
# The member closes the item: from then on it is hidden from those outside the organization.
CLOSE_ACTION = statuses(302, 403, 302, 302, 404, 403)
# The world's inquiry: the other organization asked about the member's organization's solution.
PARTICIPANTS = statuses(302, 200, 200, 200, 403, 200)  # admins read threads
PARTICIPANT_ACTION = statuses(302, 302, 302, 302, 403, 403)  # only the two sides act in them
DRAFT_ACTION = statuses(302, 404, 302, 302, 404, 403)  # a draft is invisible outside its organization
# The member deletes it first; for the owner, who tries next, it is gone.
DELETE_PART = statuses(302, 403, 302, 404, 403, 403)

# (endpoint, method, path template, expected status per role)
TABLE = [
    ("home.index", "GET", "/", PUBLIC),
    ("home.search", "GET", "/search?q=预测性维护", PUBLIC),
    ("home.dashboard", "GET", "/dashboard", SIGNED_IN),
    ("home.set_language", "POST", "/language", statuses(302, 302, 302, 302, 302, 302)),
    ("ops.healthz", "GET", "/healthz", PUBLIC),
    ("ops.readyz", "GET", "/readyz", PUBLIC),
    ("accounts.register", "GET", "/register", GUEST_ONLY),
    ("accounts.login", "GET", "/login", GUEST_ONLY),
    ("accounts.logout", "POST", "/logout", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts.forgot_password", "GET", "/password/forgot", PUBLIC),
    ("accounts.reset_password", "GET", "/password/reset/not-a-token", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts.change_password", "GET", "/account/password", SIGNED_IN),
    ("orgs.create", "GET", "/orgs/new", statuses(302, 302, 302, 302, 200, 200)),
    ("orgs.detail", "GET", "/orgs/{org}", PUBLIC),
    ("orgs.edit", "GET", "/orgs/{org}/edit", statuses(302, 403, 403, 200, 403, 403)),
    ("orgs.members", "GET", "/orgs/{org}/members", statuses(302, 403, 200, 200, 403, 200)),
    ("orgs.remove_member", "POST", "/orgs/{org}/members/{membership}/remove", OWNER_ACTION),
    ("orgs.revoke_invitation", "POST", "/orgs/{org}/invitations/{invitation}/revoke", OWNER_ACTION),
    ("orgs.accept_invitation", "GET", "/orgs/invitations/{token}", PUBLIC),
    ("admin.index", "GET", "/admin/", ADMIN_ONLY),
    ("admin.users", "GET", "/admin/users", ADMIN_ONLY),
    ("admin.user_detail", "GET", "/admin/users/{member_id}", ADMIN_ONLY),
    ("admin.set_user_active", "POST", "/admin/users/{member_id}/active", ADMIN_ACTION),
    ("admin.organizations", "GET", "/admin/organizations", ADMIN_ONLY),
    ("admin.organization_detail", "GET", "/admin/organizations/{org}", ADMIN_ONLY),
    ("admin.outbox", "GET", "/admin/outbox", ADMIN_ONLY),
    ("admin.outbox_message", "GET", "/admin/outbox/{mail}", ADMIN_ONLY),
    ("admin.audit_log", "GET", "/admin/audit", ADMIN_ONLY),
    ("admin.portal_settings", "GET", "/admin/settings", ADMIN_ONLY),
    ("admin.footer_settings", "POST", "/admin/settings/footer", ADMIN_ACTION),
    ("legal.privacy", "GET", "/privacy", PUBLIC),
    ("legal.terms", "GET", "/terms", PUBLIC),
    ("legal.sitemap", "GET", "/sitemap", PUBLIC),
    ("legal.admin_index", "GET", "/admin/legal", ADMIN_ONLY),
    ("legal.edit", "GET", "/admin/legal/privacy", ADMIN_ONLY),
    # Nobody in the world owes consent to a newer version (none is published): sent on to the dashboard.
    ("accounts.consent", "GET", "/account/consent", statuses(302, 302, 302, 302, 302, 302)),
    ("personal_data.index", "GET", "/account/data", SIGNED_IN),
    ("personal_data.export", "GET", "/account/data/export.zip", SIGNED_IN),
    # Without the password and the box ticked, the request is refused; admins are not offered it.
    ("personal_data.request_deletion", "POST", "/account/data/delete", statuses(302, 400, 400, 400, 400, 403)),
    ("personal_data.admin_requests", "GET", "/admin/deletion-requests", ADMIN_ONLY),
    (
        "personal_data.complete",
        "POST",
        "/admin/deletion-requests/999999/complete",
        statuses(302, 403, 403, 403, 403, 404),
    ),
    ("catalog.index", "GET", "/admin/taxonomy/", ADMIN_ACTION),
    ("catalog.entries", "GET", "/admin/taxonomy/industries", ADMIN_ONLY),
    ("catalog.new_entry", "GET", "/admin/taxonomy/industries/new", ADMIN_ONLY),
    ("catalog.edit_entry", "GET", "/admin/taxonomy/industries/{industry}/edit", ADMIN_ONLY),
    ("catalog.move_entry", "POST", "/admin/taxonomy/industries/{industry}/move", ADMIN_ACTION),
    ("catalog.set_entry_active", "POST", "/admin/taxonomy/industries/{industry}/active", ADMIN_ACTION),
    ("scenarios.index", "GET", "/scenarios/?q=维护", PUBLIC),
    ("scenarios.export", "GET", "/scenarios/export.csv", PUBLIC),
    ("scenarios.detail", "GET", "/scenarios/{scenario}", PUBLIC),
    ("scenarios.batch_list", "GET", "/scenarios/batches", PUBLIC),
    ("scenarios.batch", "GET", "/scenarios/batches/{batch}", PUBLIC),
    ("scenarios.compare", "GET", "/scenarios/batches/compare", PUBLIC),
    # a draft is compared by admins only; to everyone else it is an unknown batch
    (
        "scenarios.compare",
        "GET",
        "/scenarios/batches/compare?from={batch}&to={draft_batch}",
        statuses(404, 404, 404, 404, 404, 200),
    ),
    ("atlas.index", "GET", "/atlas", PUBLIC),
    ("api.scenarios", "GET", "/api/v1/scenarios?q=维护", PUBLIC),
    ("api.scenario", "GET", "/api/v1/scenarios/{scenario}", PUBLIC),
    ("api.needs", "GET", "/api/v1/needs?q=维护", PUBLIC),
    ("api.need", "GET", "/api/v1/needs/{need}", PUBLIC),
    ("api.solutions", "GET", "/api/v1/solutions?plug_and_play=yes", PUBLIC),
    ("api.solution", "GET", "/api/v1/solutions/{solution}", PUBLIC),
    ("api.events", "GET", "/api/v1/events?kind=finance", PUBLIC),
    ("api.event", "GET", "/api/v1/events/{event}", PUBLIC),
    ("api.articles", "GET", "/api/v1/articles?category=notice", PUBLIC),
    ("api.article", "GET", "/api/v1/articles/{article}", PUBLIC),
    ("api.plan_indicators", "GET", "/api/v1/indicators", PUBLIC),
    ("api.taxonomy", "GET", "/api/v1/taxonomy", PUBLIC),
    ("api.openapi", "GET", "/api/v1/openapi.json", PUBLIC),
    ("data.index", "GET", "/data", PUBLIC),
    ("data.download", "GET", "/data/needs.csv", PUBLIC),
    ("scenario_admin.index", "GET", "/admin/scenarios/", ADMIN_ONLY),
    ("scenario_admin.batch", "GET", "/admin/scenarios/batches/{draft_batch}", ADMIN_ONLY),
    ("scenario_admin.upload", "POST", "/admin/scenarios/batches/{draft_batch}/import", ADMIN_ACTION),
    ("scenario_admin.apply", "POST", "/admin/scenarios/batches/{draft_batch}/import/apply", ADMIN_ACTION),
    ("scenario_admin.publish", "POST", "/admin/scenarios/batches/{draft_batch}/publish", ADMIN_ACTION),
    ("scenario_admin.withdraw", "POST", "/admin/scenarios/batches/{batch}/withdraw", ADMIN_ACTION),
    ("stats.public", "GET", "/stats/public", PUBLIC),
    ("stats.dashboard", "GET", "/stats/", ADMIN_ONLY),
    ("stats.ledger_rows", "GET", "/stats/ledger", ADMIN_ONLY),
    ("stats.ledger_csv", "GET", "/stats/ledger.csv", ADMIN_ONLY),
    ("stats.report", "GET", "/stats/report.xlsx", ADMIN_ONLY),
    ("stats.entry", "GET", "/stats/ledger/{enablement}", ADMIN_ONLY),
    ("stats.reverse", "POST", "/stats/ledger/{enablement}/reverse", ADMIN_ACTION),
    ("stats.record", "GET", "/stats/ledger/new", ADMIN_ONLY),
    ("stats.import_upload", "GET", "/stats/import", ADMIN_ONLY),
    ("stats.import_apply", "POST", "/stats/import/apply", ADMIN_ACTION),
    ("stats.indicator_list", "GET", "/stats/indicators", ADMIN_ONLY),
    ("stats.indicator", "GET", "/stats/indicators/{indicator}", ADMIN_ONLY),
    ("stats.plans", "GET", "/stats/plans", ADMIN_ONLY),
    ("stats.plan", "GET", "/stats/plans/{plan}", ADMIN_ONLY),
    ("stats.update_plan", "POST", "/stats/plans/{plan}/edit", ADMIN_ACTION),
    (
        "stats.report_value",
        "POST",
        "/stats/indicators/{reported_indicator}/report",
        statuses(302, 403, 403, 403, 403, 400),
    ),
    ("needs.index", "GET", "/needs/?q=预测性维护", PUBLIC),
    ("needs.export", "GET", "/needs/export.csv?q=预测性维护", PUBLIC),
    ("needs.detail", "GET", "/needs/{need}", PUBLIC),
    ("needs.mine", "GET", "/needs/mine", IN_AN_ORGANIZATION),
    ("needs.create", "GET", "/needs/new", IN_AN_ORGANIZATION),
    ("needs.edit", "GET", "/needs/{need}/edit", ORG_MEMBERS),
    ("needs.submit", "POST", "/needs/{draft_need}/submit", DRAFT_ACTION),
    ("needs.renew", "POST", "/needs/{need}/renew", statuses(302, 403, 302, 302, 403, 403)),
    ("needs.close", "POST", "/needs/{need}/close", CLOSE_ACTION),
    ("solutions.index", "GET", "/solutions/?q=预测性维护", PUBLIC),
    ("solutions.export", "GET", "/solutions/export.xlsx?q=预测性维护", PUBLIC),
    ("solutions.compare", "GET", "/solutions/compare?id={solution}", PUBLIC),
    ("solutions.detail", "GET", "/solutions/{solution}", PUBLIC),
    ("solutions.mine", "GET", "/solutions/mine", IN_AN_ORGANIZATION),
    ("solutions.create", "GET", "/solutions/new", statuses(302, 403, 200, 200, 403, 403)),  # providers only
    ("solutions.edit", "GET", "/solutions/{solution}/edit", ORG_MEMBERS),
    ("solutions.submit", "POST", "/solutions/{draft_solution}/submit", DRAFT_ACTION),
    ("solutions.close", "POST", "/solutions/{solution}/close", CLOSE_ACTION),
    ("solutions.new_case", "GET", "/solutions/{solution}/cases/new", ORG_MEMBERS),
    ("solutions.edit_case", "GET", "/solutions/{solution}/cases/{case}/edit", ORG_MEMBERS),
    ("solutions.delete_case", "POST", "/solutions/{solution}/cases/{case}/delete", DELETE_PART),
    ("solutions.new_attachment", "GET", "/solutions/{solution}/attachments/new", ORG_MEMBERS),
    ("solutions.attachment", "GET", "/solutions/{solution}/attachments/{attachment}", PUBLIC),
    (
        "solutions.attachment",
        "GET",
        "/solutions/{draft_solution}/attachments/{draft_attachment}",
        statuses(404, 404, 200, 200, 404, 200),
    ),
    ("solutions.delete_attachment", "POST", "/solutions/{solution}/attachments/{attachment}/delete", DELETE_PART),
    ("matching.needs", "GET", "/matching/needs", statuses(302, 403, 200, 200, 403, 403)),  # providers only
    ("moderation.index", "GET", "/admin/moderation/", ADMIN_ACTION),
    ("inquiries.index", "GET", "/inquiries/", IN_AN_ORGANIZATION),
    # The other organization asked already: it is sent to its thread.
    ("inquiries.inquire", "GET", "/inquiries/solution/{solution}/new", statuses(302, 302, 403, 403, 403, 403)),
    ("inquiries.propose", "GET", "/inquiries/need/{need}/new", statuses(302, 403, 403, 403, 403, 403)),
    ("inquiries.detail", "GET", "/inquiries/{inquiry}", PARTICIPANTS),
    ("inquiries.attachment", "GET", "/inquiries/{inquiry}/files/{inquiry_file}", PARTICIPANTS),
    ("inquiries.read", "POST", "/inquiries/{inquiry}/read", statuses(302, 200, 200, 200, 403, 403)),  # answers JSON
    ("inquiries.reply", "POST", "/inquiries/{inquiry}/messages", PARTICIPANT_ACTION),
    ("inquiries.accept", "POST", "/inquiries/{inquiry}/accept", PARTICIPANT_ACTION),
    ("inquiries.decline", "POST", "/inquiries/{inquiry}/decline", PARTICIPANT_ACTION),
    ("inquiries.confirm_deal", "POST", "/inquiries/{inquiry}/deal", PARTICIPANT_ACTION),
    ("inquiries.close", "POST", "/inquiries/{inquiry}/close", PARTICIPANT_ACTION),
    ("inquiries.follow_up", "POST", "/inquiries/{inquiry}/follow-up", PARTICIPANT_ACTION),
    ("saved_searches.index", "GET", "/saved-searches/", SIGNED_IN),
    ("saved_searches.create", "POST", "/saved-searches/new", statuses(302, 400, 400, 400, 400, 400)),  # no form data
    ("saved_searches.delete", "POST", "/saved-searches/{saved_search}/delete", statuses(302, 404, 404, 302, 404, 404)),
    ("events.index", "GET", "/events/", PUBLIC),
    ("events.month_calendar", "GET", "/events/calendar?month=2026-13", PUBLIC),
    ("events.detail", "GET", "/events/{event}", PUBLIC),
    ("events.detail", "GET", "/events/{draft_event}", statuses(404, 404, 404, 404, 404, 200)),
    ("events.calendar", "GET", "/events/{event}.ics", PUBLIC),
    # The member's organization registered already: it is sent to its ticket.
    ("events.register", "GET", "/events/{event}/register", statuses(302, 200, 302, 302, 403, 403)),
    ("events.ticket", "GET", "/events/tickets/{registration}", statuses(302, 403, 200, 200, 403, 200)),
    ("events.cancel", "POST", "/events/tickets/{registration}/cancel", statuses(302, 403, 302, 302, 403, 403)),
    ("events.participants", "GET", "/events/{event}/participants", statuses(302, 403, 200, 200, 403, 200)),
    # The member's organization asks itself: refused with a message.
    (
        "events.send_request",
        "POST",
        "/events/{event}/participants/{registration}/request",
        statuses(302, 403, 302, 302, 403, 403),
    ),
    ("events.meetings", "GET", "/events/{event}/meetings", statuses(302, 403, 200, 200, 403, 403)),
    (
        "events.decide_request",
        "POST",
        "/events/requests/{meeting_request}/accept",
        statuses(302, 403, 302, 302, 403, 403),
    ),
    ("events.agenda", "GET", "/events/{event}/agenda", statuses(302, 403, 200, 200, 403, 403)),
    # The world's schedule is not published yet.
    ("events.agenda_calendar", "GET", "/events/{event}/agenda.ics", statuses(302, 403, 404, 404, 403, 403)),
    ("event_admin.schedule", "GET", "/admin/events/{event}/schedule", ADMIN_ONLY),
    ("event_admin.run_schedule", "POST", "/admin/events/{event}/schedule/run", ADMIN_ACTION),
    ("event_admin.run_schedule", "POST", "/admin/events/{event}/schedule/optimise", ADMIN_ACTION),
    ("event_admin.publish_schedule", "POST", "/admin/events/{event}/schedule/publish", ADMIN_ACTION),
    ("event_admin.move_meeting", "POST", "/admin/events/{event}/schedule/move", ADMIN_ACTION),
    # The world's meeting has not started: the two sides are told to wait.
    ("events.record_outcome", "POST", "/events/meetings/{meeting}/outcome", statuses(302, 403, 302, 302, 403, 403)),
    ("event_admin.report", "GET", "/admin/events/{event}/report", ADMIN_ONLY),
    ("event_admin.report_xlsx", "GET", "/admin/events/{event}/report.xlsx", ADMIN_ONLY),
    ("event_admin.meeting_outcomes", "GET", "/admin/events/{event}/outcomes", ADMIN_ONLY),
    # The organiser records a side's outcome (the world's meeting has not started: refused, redirected).
    ("event_admin.record_outcome", "POST", "/admin/events/meetings/{meeting}/outcome", ADMIN_ACTION),
    # The world's event is an industry-finance meeting, not a competition (see tests/events).
    ("events.entry", "GET", "/events/{event}/entry", statuses(302, 403, 403, 403, 403, 403)),
    ("events.entry_file", "GET", "/events/entries/files/999999", statuses(302, 404, 404, 404, 404, 404)),
    ("events.remove_entry_file", "POST", "/events/entries/files/999999/remove", statuses(302, 404, 404, 404, 404, 404)),
    ("events.judging", "GET", "/events/{event}/judging", statuses(302, 403, 403, 403, 403, 403)),
    ("event_admin.judging", "GET", "/admin/events/{event}/judging", statuses(302, 403, 403, 403, 403, 404)),
    ("event_admin.judging_step", "POST", "/admin/events/{event}/judging/close", statuses(302, 403, 403, 403, 403, 404)),
    ("event_admin.add_judge", "POST", "/admin/events/{event}/judges", statuses(302, 403, 403, 403, 403, 404)),
    (
        "event_admin.remove_judge",
        "POST",
        "/admin/events/{event}/judges/{member_id}/remove",
        statuses(302, 403, 403, 403, 403, 404),
    ),
    ("event_admin.index", "GET", "/admin/events/", ADMIN_ONLY),
    ("event_admin.create", "GET", "/admin/events/new", ADMIN_ONLY),
    ("event_admin.edit", "GET", "/admin/events/{event}/edit", ADMIN_ONLY),
    ("event_admin.programme", "GET", "/admin/events/{event}/programme", ADMIN_ONLY),
    ("event_admin.manage", "GET", "/admin/events/{event}", ADMIN_ONLY),
    ("event_admin.publish", "POST", "/admin/events/{draft_event}/publish", ADMIN_ACTION),
    ("event_admin.decide", "POST", "/admin/events/registrations/{registration}/approve", ADMIN_ACTION),
    ("event_admin.check_in", "POST", "/admin/events/{event}/check-in", ADMIN_ACTION),
    ("inbox.index", "GET", "/inbox/", SIGNED_IN),
    # Opening a notification is a POST (nothing writes on a GET); a GET lands on the inbox.
    ("inbox.follow", "GET", "/inbox/{notification}", statuses(302, 302, 302, 302, 302, 302)),
    ("inbox.follow", "POST", "/inbox/{notification}", statuses(302, 404, 404, 302, 404, 404)),
    ("inbox.read_all", "POST", "/inbox/read", statuses(302, 302, 302, 302, 302, 302)),
    ("inbox.settings", "GET", "/inbox/settings", SIGNED_IN),
    ("moderation.queue", "GET", "/admin/moderation/needs", ADMIN_ONLY),
    ("moderation.approve", "POST", "/admin/moderation/needs/{draft_need}/approve", ADMIN_ACTION),
    ("moderation.reject", "POST", "/admin/moderation/solutions/{draft_solution}/reject", ADMIN_ACTION),
    ("moderation.attachments", "GET", "/admin/moderation/attachments", ADMIN_ONLY),
    ("moderation.approve_attachment", "POST", "/admin/moderation/attachments/{attachment}/approve", ADMIN_ACTION),
    ("moderation.reject_attachment", "POST", "/admin/moderation/attachments/{attachment}/reject", ADMIN_ACTION),
    # The world's pilot call is open; the member's organization applied and the expert is assigned.
    ("pilots.index", "GET", "/pilots/", PUBLIC),
    ("pilots.call", "GET", "/pilots/{pilot_call}", PUBLIC),
    ("pilots.apply", "GET", "/pilots/{pilot_call}/apply", statuses(302, 200, 302, 302, 403, 403)),
    ("pilots.mine", "GET", "/pilots/mine", IN_AN_ORGANIZATION),
    ("pilots.application", "GET", "/pilots/applications/{pilot_application}", statuses(302, 403, 200, 200, 200, 200)),
    (
        "pilots.attachment",
        "GET",
        "/pilots/applications/{pilot_application}/files/{pilot_attachment}",
        statuses(302, 403, 200, 200, 200, 200),
    ),
    ("pilots.reviews", "GET", "/pilots/reviews", statuses(302, 403, 403, 403, 200, 403)),
    ("pilots.score", "POST", "/pilots/applications/{pilot_application}/score", statuses(302, 403, 403, 403, 302, 403)),
    # Not on a provisional or final list yet: nobody sees it as a project, nor objects to it.
    ("pilots.project", "GET", "/pilots/projects/{pilot_application}", statuses(404, 404, 404, 404, 404, 404)),
    (
        "pilots.object_to",
        "POST",
        "/pilots/projects/{pilot_application}/objection",
        statuses(302, 404, 404, 404, 404, 404),
    ),
    ("pilot_admin.index", "GET", "/admin/pilots/", ADMIN_ONLY),
    ("pilot_admin.create", "GET", "/admin/pilots/new", ADMIN_ONLY),
    ("pilot_admin.edit", "GET", "/admin/pilots/{pilot_call}/edit", ADMIN_ONLY),
    ("pilot_admin.manage", "GET", "/admin/pilots/{pilot_call}", ADMIN_ONLY),
    ("pilot_admin.step", "POST", "/admin/pilots/{pilot_call}/review", ADMIN_ACTION),
    ("pilot_admin.assign", "POST", "/admin/pilots/applications/{pilot_application}/assign", ADMIN_ACTION),
    ("pilot_admin.unassign", "POST", "/admin/pilots/assignments/999999/remove", statuses(302, 403, 403, 403, 403, 404)),
    ("pilot_admin.selection", "POST", "/admin/pilots/{pilot_call}/selection", ADMIN_ACTION),
    ("pilot_admin.notice", "POST", "/admin/pilots/{pilot_call}/notice", ADMIN_ACTION),
    ("pilot_admin.publish", "POST", "/admin/pilots/{pilot_call}/publish", ADMIN_ACTION),
    ("pilot_admin.answer", "POST", "/admin/pilots/objections/999999/answer", statuses(302, 403, 403, 403, 403, 404)),
    # The world's notice is published with a PDF; its policy article is a draft.
    ("articles.index", "GET", "/news/", PUBLIC),
    ("articles.detail", "GET", "/news/{article}", PUBLIC),
    ("articles.detail", "GET", "/news/{draft_article}", statuses(404, 404, 404, 404, 404, 200)),
    ("articles.attachment", "GET", "/news/{article}/files/{article_attachment}", PUBLIC),
    ("articles.feed", "GET", "/news/feed/notice.atom", PUBLIC),
    ("article_admin.index", "GET", "/admin/articles/", ADMIN_ONLY),
    ("article_admin.create", "GET", "/admin/articles/new", ADMIN_ONLY),
    ("article_admin.edit", "GET", "/admin/articles/{article}/edit", ADMIN_ONLY),
    ("article_admin.publish", "POST", "/admin/articles/{draft_article}/publish", ADMIN_ACTION),
    ("article_admin.pin", "POST", "/admin/articles/{article}/pin", ADMIN_ACTION),
    ("article_admin.withdraw", "POST", "/admin/articles/{article}/withdraw", ADMIN_ACTION),
    (
        "article_admin.remove_attachment",
        "POST",
        "/admin/articles/{article}/files/{article_attachment}/remove",
        ADMIN_ACTION,
    ),
    ("incubation.index", "GET", "/incubation", PUBLIC),
    ("incubation.track", "GET", "/incubation/{track}", PUBLIC),
    ("incubation.track", "GET", "/incubation/no-such-track", statuses(404, 404, 404, 404, 404, 404)),
    ("incubation.figures", "GET", "/incubation/figures", IN_AN_ORGANIZATION),
    # The year the member's organization reported; the other organization has none for it.
    ("incubation.edit_figures", "GET", "/incubation/figures/{figures_year}", statuses(302, 404, 200, 200, 403, 403)),
    ("incubation.apply", "GET", "/incubation/{track}/apply", IN_AN_ORGANIZATION),
    # The member's organization applied already: it is sent to its figures page.
    ("incubation.apply", "GET", "/incubation/eaglet/apply", statuses(302, 200, 302, 302, 403, 403)),
    ("incubation_admin.index", "GET", "/admin/incubation/", ADMIN_ONLY),
    ("incubation_admin.board", "GET", "/admin/incubation/{track}", ADMIN_ONLY),
    ("incubation_admin.criteria", "GET", "/admin/incubation/{track}/criteria", ADMIN_ONLY),
    ("incubation_admin.enrol", "GET", "/admin/incubation/{track}/enrol?org={org}", ADMIN_ONLY),
    ("incubation_admin.enrolment", "GET", "/admin/incubation/enrolments/{enrolment}", ADMIN_ONLY),
    ("incubation_admin.move", "POST", "/admin/incubation/enrolments/{enrolment}/move", ADMIN_ACTION),
    ("incubation_admin.add_milestone", "POST", "/admin/incubation/enrolments/{enrolment}/milestones", ADMIN_ACTION),
    ("incubation_admin.milestone_state", "POST", "/admin/incubation/milestones/{milestone}/done", ADMIN_ACTION),
    ("incubation_admin.add_note", "POST", "/admin/incubation/enrolments/{enrolment}/notes", ADMIN_ACTION),
    ("incubation_admin.correct", "GET", "/admin/incubation/figures/{figures}/correct", ADMIN_ONLY),
]

# The predicate each route asks through `ensure`, and the world's object it asks about (the model and
# its key in the world's ids; None: it asks about the user alone).
GUARDS = {
    "personal_data.export": (can_download_own_data, None, None),
    "personal_data.request_deletion": (can_request_account_deletion, None, None),
    "orgs.edit": (accounts.can_edit_organization, Organization, "org"),
    "orgs.members": (accounts.can_see_members, Organization, "org"),
    "orgs.remove_member": (accounts.can_manage_members, Organization, "org"),
    "orgs.revoke_invitation": (accounts.can_manage_members, Organization, "org"),
    "needs.mine": (accounts.in_an_organization, None, None),
    "needs.create": (can_post_need, None, None),
    "needs.edit": (can_manage_listing, Need, "need"),
    "needs.renew": (can_manage_listing, Need, "need"),
    "solutions.mine": (accounts.in_an_organization, None, None),
    "solutions.create": (can_post_solution, None, None),
    "solutions.edit": (can_manage_listing, Solution, "solution"),
    "solutions.close": (can_manage_listing, Solution, "solution"),
    "solutions.new_case": (can_manage_listing, Solution, "solution"),
    "solutions.edit_case": (can_manage_listing, Solution, "solution"),
    "solutions.new_attachment": (can_manage_listing, Solution, "solution"),
    "matching.needs": (can_see_recommended_needs, None, None),
    "inquiries.index": (accounts.in_an_organization, None, None),
    "inquiries.inquire": (inquiries.can_inquire, Solution, "solution"),
    "inquiries.propose": (inquiries.can_propose, Need, "need"),
    "inquiries.detail": (inquiries.can_read_thread, Inquiry, "inquiry"),
    "inquiries.attachment": (inquiries.can_read_thread, Inquiry, "inquiry"),
    "inquiries.read": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "inquiries.reply": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "inquiries.accept": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "inquiries.decline": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "inquiries.confirm_deal": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "inquiries.close": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "inquiries.follow_up": (inquiries.can_act_in_thread, Inquiry, "inquiry"),
    "events.ticket": (events.can_see_ticket, Registration, "registration"),
    "events.cancel": (events.can_cancel, Registration, "registration"),
    "events.participants": (events.can_see_participants, Event, "event"),
    "events.send_request": (events.is_participant, Event, "event"),
    "events.decide_request": (events.is_party, MeetingRequest, "meeting_request"),
    "events.record_outcome": (events.can_record_outcome, Meeting, "meeting"),
    "events.entry": (events.can_submit_entry, Event, "event"),
    "events.judging": (events.is_judge, Event, "event"),
    "pilots.mine": (accounts.in_an_organization, None, None),
    "pilots.application": (pilots.can_see_application, PilotApplication, "pilot_application"),
    "pilots.attachment": (pilots.can_see_application, PilotApplication, "pilot_application"),
    "pilots.reviews": (pilots.can_review_applications, None, None),
    "pilots.score": (pilots.can_review_applications, None, None),
}


def fresh_client(app, user):
    client = app.test_client()
    if user is not None:
        response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
    return client


READS = [row for row in TABLE if row[1] == "GET"]
ACTIONS = [row for row in TABLE if row[1] == "POST"]


def test_role_table_reads(app, world):
    """Every page that only reads, for every role, in one world (building it for each page was
    most of the suite's time on PostgreSQL): each role signs in once and opens every page."""
    users, ids = world
    got = {(endpoint, path): {} for endpoint, _method, path, _expected in READS}
    for role in ROLES:
        client = fresh_client(app, users[role])
        for endpoint, _method, path, _expected in READS:
            got[endpoint, path][role] = client.get(path.format(**ids)).status_code
    wrong = [
        f"{endpoint} {path}: expected {expected}, got {got[endpoint, path]}"
        for endpoint, _method, path, expected in READS
        if got[endpoint, path] != expected
    ]
    assert wrong == []


@pytest.mark.parametrize(("endpoint", "method", "path", "expected"), ACTIONS, ids=[row[0] for row in ACTIONS])
def test_role_table_actions(app, world, endpoint, method, path, expected):
    """Every role in turn, each with its own session, in a world of its own. Roles are tried in
    the order of ROLES, so the one allowed to change something (owner, admin) acts after those
    refused."""
    users, ids = world
    url = path.format(**ids)
    got = {}
    for role in ROLES:
        client = fresh_client(app, users[role])
        got[role] = client.post_form(url, {"direction": "up", "active": "0", "language": "en"}).status_code
    assert got == expected


def test_every_route_is_in_the_table(app):
    covered = {endpoint for endpoint, *_ in TABLE}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - covered == set()


def test_forbidden_owner_action_changes_nothing(client, login, world):
    users, ids = world
    login(users["member"])
    response = client.post_form(f"/orgs/{ids['org']}/members/{ids['membership']}/remove")
    assert response.status_code == 403
    db.session.expire_all()
    assert users["member"].membership is not None


def test_the_table_agrees_with_the_predicates(app, world):
    """For each row of a route guarded by a named predicate, the predicate allows exactly the signed-in
    roles the row does not refuse with 403 (a 404 hides the object before anyone asks)."""
    users, ids = world
    disagreements = []
    for endpoint, _method, path, expected in TABLE:
        if endpoint not in GUARDS:
            continue
        predicate, model, key = GUARDS[endpoint]
        subject = () if model is None else (db.session.get(model, ids[key]),)
        for role in ROLES[1:]:
            if expected[role] != 404 and predicate(users[role], *subject) != (expected[role] != 403):
                disagreements.append(f"{endpoint} {path} {role}: {predicate.__name__} vs {expected[role]}")
    assert disagreements == []
    assert set(GUARDS) <= {endpoint for endpoint, *_ in TABLE}


def _names_called(function) -> set[str]:
    """The names a function's code (its lambdas included) and its module's helpers it calls use."""
    names: set[str] = set()
    seen = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        if code in seen:
            continue
        seen.add(code)
        names |= set(code.co_names)
        codes += [const for const in code.co_consts if inspect.iscode(const)]
        helpers = (function.__globals__.get(name) for name in code.co_names)
        codes += [
            helper.__code__
            for helper in helpers
            if inspect.isfunction(helper) and helper.__module__ == function.__module__
        ]
    return names


def test_the_guarded_views_ask_their_predicate(app):
    """The predicate each guarded route is checked against above is the one its view asks."""
    missing = [
        f"{endpoint}: {predicate.__name__}"
        for endpoint, (predicate, _model, _key) in GUARDS.items()
        if predicate.__name__ not in _names_called(inspect.unwrap(app.view_functions[endpoint]))
    ]
    assert missing == []
