from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, served by our AdminSite, with a user admin that keeps the edit history."""

    default_site = "probono.admin_site.AdminSite"

    def ready(self):
        super().ready()
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from probono.staff_admin import StaffUserAdmin, refuse_to_delete_editors

        User = get_user_model()
        self.module.site.unregister(User)
        self.module.site.register(User, StaffUserAdmin)
        pre_delete.connect(refuse_to_delete_editors, sender=User)
