"""Names of the staff groups. Group names are data: the migration and the services share them.

"Editors" and "Moderators" are the groups Wagtail creates (kept in English as Wagtail names
them, so its own migrations and documentation still apply); ours follow the same convention.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
PRACTITIONERS = "Practitioners"
DATA_PROTECTION_OFFICERS = "Data protection officers"

PRACTITIONER_WORKFLOW = "Validation des fiches praticiens"
PRACTITIONER_TASK = "Validation par l'équipe éditoriale"


def practitioner_page_group_name(page_id: int) -> str:
    # Wagtail grants page permissions to groups only: one group per profile gives its account
    # the right to edit that page and nothing else, enforced by Wagtail in every page view.
    return f"Practitioner page {page_id}"


# Image collections (Wagtail grants image permissions per collection). Editors put in "Partagé"
# the images every practitioner may choose; each profile gets its own collection under
# "Praticiens", where its account alone uploads (staff.services.practitioner_account_link).
SHARED_COLLECTION = "Partagé"
PRACTITIONERS_COLLECTION = "Praticiens"
