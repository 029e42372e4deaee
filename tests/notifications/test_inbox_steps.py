"""The inbox's steps are announced through run_step with the same messages as before."""

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
    assert client.get(f"/inbox/{first.id}").headers["Location"].endswith(first.link)
    db.session.refresh(first)
    assert first.read_at is not None
    client.post_form("/inbox/read")
    assert flashes(client)[-1] == ("success", "已将 1 条消息标为已读。")


def test_saving_the_mail_settings_says_so(client, login, make_user):
    login(make_user())
    client.post_form("/inbox/settings", {"topics": ["inquiry"]})
    assert flashes(client)[-1] == ("success", "邮件提醒设置已保存。")
