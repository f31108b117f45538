"""The moderation side of exchanges in the Wagtail admin: the review queue and the report queue
register their menu items and views from their own modules."""

from exchanges.reports import admin as reports_admin  # noqa: F401
from exchanges.reviews import admin as reviews_admin  # noqa: F401
