"""The Wagtail admin side of exchanges.reviews (registered by exchanges/wagtail_hooks.py)."""
