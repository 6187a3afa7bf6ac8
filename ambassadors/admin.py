from django.contrib import admin

from ambassadors.models import (
    Ambassador,
    AmbassadorLanguage,
    LanguageSupportRule,
    TrainingModule,
    TrainingSession,
)


class AmbassadorLanguageInline(admin.TabularInline):
    model = AmbassadorLanguage
    extra = 0


@admin.register(Ambassador)
class AmbassadorAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "max_active_assignments", "is_active")
    list_filter = ("team", "is_active")
    search_fields = ("user__first_name", "user__last_name", "user__username")
    inlines = [AmbassadorLanguageInline]
    filter_horizontal = ("territories",)


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "order", "hours", "required_for_certificate")
    ordering = ("order",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("module", "team", "starts_at", "trainer")
    list_filter = ("team", "module")


@admin.register(LanguageSupportRule)
class LanguageSupportRuleAdmin(admin.ModelAdmin):
    list_display = ("team", "activity", "requirement")
    list_filter = ("team",)
