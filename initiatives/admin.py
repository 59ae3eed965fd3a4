from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from initiatives.models import Crisis, Initiative, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Crisis)
class CrisisAdmin(admin.ModelAdmin):
    list_display = ["name", "started_on", "ended_on"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "facilitator", "kind", "started_on", "status", "updated_at"]
    list_filter = ["status", "kind", "crisis", "sectors", "countries"]
    list_select_related = ["facilitator"]
    search_fields = ["title", "summary", "description", "facilitator__name", "tags__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["facilitator", "network", "partners", "countries", "sectors", "crisis"]
    date_hierarchy = "started_on"
    readonly_fields = ["published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "kind", "tags"]}),
        (
            _("Who"),
            {"fields": ["facilitator", "network", "partners", "other_organisations"]},
        ),
        (_("Where and what"), {"fields": ["countries", "sectors", "crisis"]}),
        (
            _("When"),
            {"fields": [("started_on", "start_precision"), ("ended_on", "end_precision")]},
        ),
        (
            _("Figures"),
            {"fields": ["volunteers", "participants", "beneficiaries", "figures_note"]},
        ),
        (_("Sources"), {"fields": ["website", "source_url", "last_verified_on"]}),
        (_("Publication"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]
