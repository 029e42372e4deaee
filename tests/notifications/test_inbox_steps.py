"""The inbox's steps are announced through run_step with the same messages as before; opening a
notification is a POST (nothing writes on a GET)."""

import re

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification, Topic
from app.notifications.services import notify


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_reading_all_says_how_many_and_following_one_marks_it_read(client, login, make_user):
    user = make_user()
    for number in range(2):
        notify([user], Topic.STATE, f"消息 {number}", "inquiries.detail", inquiry_id=number + 1)
    db.session.commit()
    login(user)
    first = db.session.scalars(select(Notification).order_by(Notification.id)).first()
    assert client.post_form(f"/inbox/{first.id}").headers["Location"].endswith(first.link)
    db.session.refresh(first)
    assert first.read_at is not None
    client.post_form("/inbox/read")
    assert flashes(client)[-1] == ("success", "已将 1 条消息标为已读。")


def test_saving_the_mail_settings_says_so(client, login, make_user):
    login(make_user())
    client.post_form("/inbox/settings", {"topics": ["inquiry"]})
    assert flashes(client)[-1] == ("success", "邮件提醒设置已保存。")


def _told(user, title: str = "对接有新消息") -> Notification:
    notify([user], Topic.REPLY, title, "inquiries.detail", inquiry_id=7)
    db.session.commit()
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).one()


def test_each_notification_in_the_inbox_is_a_button_that_posts(client, login, make_user):
    user = make_user()
    note = _told(user)
    login(user)
    page = client.get("/inbox/").get_data(as_text=True)
    form = re.search(r'<form method="post" class="list-group[^>]*>(.*?)</form>', page, re.S)
    assert form is not None and 'name="csrf_token"' in form.group(1)
    assert re.search(rf'<button type="submit" formaction="/inbox/{note.id}"', form.group(1))
    assert f'href="/inbox/{note.id}"' not in page


def test_opening_a_notification_by_a_get_reads_nothing_and_lands_on_the_inbox(client, login, make_user):
    user = make_user()
    note = _told(user)
    login(user)
    response = client.get(f"/inbox/{note.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox/")
    db.session.refresh(note)
    assert note.read_at is None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, login, make_user):
    owner, other = make_user(), make_user()
    note = _told(owner)
    login(other)
    assert client.post_form(f"/inbox/{note.id}").status_code == 404
    assert client.post_form("/inbox/999999").status_code == 404
    db.session.refresh(note)
    assert note.read_at is None


def test_opening_a_notification_needs_its_token(client, login, make_user):
    user = make_user()
    note = _told(user)
    login(user)
    assert client.post(f"/inbox/{note.id}").status_code == 400
    db.session.refresh(note)
    assert note.read_at is None
