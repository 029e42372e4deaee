"""Needs' and solutions' shared lifecycle (draft, review, publication, closing): above accounts, below them."""

from flask import Flask

from app.listings.moderation import STATUS_LABELS


def init_listings(app: Flask) -> None:
    app.jinja_env.globals.update(listing_status_labels=STATUS_LABELS)
