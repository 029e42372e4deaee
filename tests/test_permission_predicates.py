"""The named permission predicates the views ask through `ensure` and the templates call: each one
allows whom it says and refuses the others (in the shared world of tests/world.py)."""

from types import ModuleType

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin

from app.accounts.models import Organization, OrgKind
from app.accounts.permissions import can_see_members
from app.core.permissions import expose_to_templates
from app.events.models import Event, EventKind, Meeting
from app.events.permissions import (
    can_record_outcome,
    can_see_participants,
    can_submit_entry,
    is_judge,
    is_participant,
)
from app.extensions import db
from app.inquiries.models import Inquiry, Side
from app.inquiries.permissions import can_act_in_thread, can_inquire, can_propose, can_read_thread, side_of
from app.listings.permissions import can_manage_listing, can_see_listing_contacts, can_view_listing
from app.needs.models import Need
from app.pilots.permissions import can_review_applications
from app.solutions.models import Solution, SolutionAttachment
from app.solutions.permissions import can_see_attachment

ANONYMOUS = AnonymousUserMixin()


def _allowed(predicate, users, *subject) -> set[str]:
    """The roles of the world `predicate` allows, the anonymous visitor among them."""
    return {role for role, user in users.items() if predicate(user or ANONYMOUS, *subject)}


def test_an_organizations_members_are_seen_by_its_members_and_admins(world):
    users, ids = world
    assert _allowed(can_see_members, users, db.session.get(Organization, ids["org"])) == {"member", "owner", "admin"}


def test_a_listing_is_managed_by_its_organization_only(world):
    users, ids = world
    need = db.session.get(Need, ids["need"])
    assert _allowed(can_manage_listing, users, need) == {"member", "owner"}


def test_a_draft_listing_is_seen_by_its_organization_and_admins(world):
    users, ids = world
    assert _allowed(can_view_listing, users, db.session.get(Need, ids["draft_need"])) == {"member", "owner", "admin"}
    assert _allowed(can_view_listing, users, db.session.get(Need, ids["need"])) == set(users)


def test_listing_contacts_are_for_members_of_an_organization_and_admins(world):
    users, ids = world
    need = db.session.get(Need, ids["need"])
    assert _allowed(can_see_listing_contacts, users, need) == {"other_member", "member", "owner", "admin"}


def test_a_pending_file_is_seen_by_its_organization_and_admins(world):
    users, ids = world
    attachment = db.session.get(SolutionAttachment, ids["attachment"])
    attachment.pending = False
    assert _allowed(can_see_attachment, users, attachment) == set(users)
    attachment.pending = True
    assert _allowed(can_see_attachment, users, attachment) == {"member", "owner", "admin"}


def test_the_two_sides_act_in_a_thread_and_admins_only_read_it(world):
    users, ids = world
    inquiry = db.session.get(Inquiry, ids["inquiry"])
    assert side_of(users["other_member"], inquiry) == Side.ENTERPRISE
    assert side_of(users["member"], inquiry) == Side.PROVIDER
    assert side_of(users["expert"], inquiry) is None
    assert _allowed(can_act_in_thread, users, inquiry) == {"other_member", "member", "owner"}
    assert _allowed(can_read_thread, users, inquiry) == {"other_member", "member", "owner", "admin"}


def test_another_enterprise_inquires_about_a_published_solution(world):
    users, ids = world
    solution = db.session.get(Solution, ids["solution"])
    assert _allowed(can_inquire, users, solution) == {"other_member"}
    assert _allowed(can_inquire, users, db.session.get(Solution, ids["draft_solution"])) == set()


def test_another_provider_proposes_for_a_published_need(world, make_user, make_org):
    users, ids = world
    provider = make_user("provider@example.com")
    make_org(owner=provider, kind=OrgKind.PROVIDER)
    need = db.session.get(Need, ids["need"])
    assert can_propose(provider, need)
    assert _allowed(can_propose, users, need) == set()  # the need's own firm, an enterprise, no organization
    assert not can_propose(provider, db.session.get(Need, ids["draft_need"]))


def test_the_confirmed_participants_use_the_catalogue_and_admins_look_on(world):
    users, ids = world
    event = db.session.get(Event, ids["event"])
    assert _allowed(is_participant, users, event) == {"member", "owner"}
    assert _allowed(can_see_participants, users, event) == {"member", "owner", "admin"}


def test_either_side_of_a_meeting_records_its_outcome(world):
    users, ids = world
    assert _allowed(can_record_outcome, users, db.session.get(Meeting, ids["meeting"])) == {"member", "owner"}


def test_only_a_competitions_participants_submit_entries(world):
    users, ids = world
    event = db.session.get(Event, ids["event"])
    assert _allowed(can_submit_entry, users, event) == set()  # an industry-finance meeting takes no entries
    event.kind = EventKind.COMPETITION
    assert _allowed(can_submit_entry, users, event) == {"member", "owner"}


def test_a_judge_is_an_active_expert_named_for_a_competition(world):
    users, ids = world
    event = db.session.get(Event, ids["event"])
    event.judges.append(users["expert"])
    assert _allowed(is_judge, users, event) == set()  # not a competition
    event.kind = EventKind.COMPETITION
    assert _allowed(is_judge, users, event) == {"expert"}
    users["expert"].active = False
    assert _allowed(is_judge, users, event) == set()


def test_experts_review_pilot_applications(world):
    users, _ids = world
    assert _allowed(can_review_applications, users) == {"expert"}


def _module_with(name: str) -> ModuleType:
    module = ModuleType("app.example.permissions")

    def predicate(user) -> bool:
        return True

    predicate.__name__ = name
    predicate.__module__ = module.__name__
    setattr(module, name, predicate)
    module._private = predicate
    return module


def test_templates_call_the_predicates_by_name(app):
    assert app.jinja_env.globals["can_manage_listing"] is can_manage_listing
    assert app.jinja_env.globals["can_act_in_thread"] is can_act_in_thread


def test_a_predicate_does_not_replace_another_template_global():
    target = Flask(__name__)
    expose_to_templates(target, _module_with("can_do_anything"))
    assert target.jinja_env.globals["can_do_anything"](None)
    assert "_private" not in target.jinja_env.globals
    with pytest.raises(RuntimeError, match="url_for"):
        expose_to_templates(target, _module_with("url_for"))
