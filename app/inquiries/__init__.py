"""Inquiries (对接): a private thread between an enterprise and a provider about a solution or a
need, from the first message to a confirmed deal and the follow-up half a year later."""
