"""A wagtail-modeladmin permission helper for records the admin may show but never change.

Policy versions, consent acceptances and appointments change only through their services
(immutable ledger, booking rules), so their admin lists and inspects, and nothing else.
"""

from wagtail_modeladmin.helpers import PermissionHelper


class ReadOnlyPermissionHelper(PermissionHelper):
    def user_can_list(self, user):
        # get_perm_codename() has no app label: user_has_specific_permission adds it
        # (user.has_perm("view_x") would be False for every non-superuser).
        return user.is_active and self.user_has_specific_permission(
            user, self.get_perm_codename("view")
        )

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_copy_obj(self, user, obj):
        return False
