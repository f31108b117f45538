"""`{% load exchanges_reviews %}`: Django finds tag libraries in an installed app's
templatetags/ only (exchanges, not exchanges.reviews); the tags live with the reviews."""

from exchanges.reviews.templatetags.exchanges_reviews import register

__all__ = ["register"]
