"""Inquiries (对接): a private thread between an enterprise and a provider about a solution or a
need, from the first message to a confirmed deal and the follow-up half a year later."""

from app.inquiries.services import follow_up_summary
from app.stats.services import register_follow_up_counts


def init_inquiries() -> None:
    register_follow_up_counts(follow_up_summary)
