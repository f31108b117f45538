"""Small shared plumbing every app may import and that imports no app of this project.

client IP and its networks (network), the one safe next-URL check (redirects), absolute links
for what leaves the site (links), a read-only admin permission helper (readonly_admin), the
second-factor steps shared by the login, the admin and the practitioner area (second_factor).
A test (tests/core/test_layering.py) keeps this package free of imports from the apps.
"""
