from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from integrapsy.accounts.forms import UserAddForm
from integrapsy.accounts.models import Membership, Organisation, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserAddForm
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("IntegraPsy"), {"fields": ("organisation", "language", "phone", "must_change_password")}),
    )
    list_display = ["username", "first_name", "last_name", "organisation", "is_active", "last_login"]
    list_select_related = ["organisation"]
    list_filter = ["is_active", "is_staff", "memberships__role", "organisation"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "contact_email", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "country", "territory"]
    list_select_related = ["organisation"]
    list_filter = ["country"]
    search_fields = ["name"]
