"""The Permissions-Policy header's syntax, shared by the site-wide middleware (site/security.py)
and the pages that relax one feature for themselves (the payment page)."""


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())
