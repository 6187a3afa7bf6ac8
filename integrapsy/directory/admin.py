from django.contrib import admin

from integrapsy.directory.models import Language, Location, Resource


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "variety", "name_fr", "name_nl", "name_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "variety", "name_fr", "name_nl", "name_en"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "country", "team", "is_active"]
    list_select_related = ["team"]
    list_filter = ["kind", "country", "team", "is_active"]
    search_fields = ["name", "city"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "city",
        "country",
        "accepts_without_papers",
        "free_of_charge",
        "is_active",
    ]
    list_filter = ["kind", "country", "accepts_without_papers", "free_of_charge", "is_active"]
    search_fields = ["name", "city", "area"]
    filter_horizontal = ["languages"]
