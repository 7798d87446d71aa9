from django.contrib import admin

from .models import Customer, Identity, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "created_at"]
    search_fields = ["name", "domain"]


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "language", "created_at", "merged_into"]
    list_filter = ["language"]
    search_fields = ["name", "identities__address"]
    list_select_related = ["organisation", "merged_into"]
    raw_id_fields = ["organisation", "merged_into"]
    inlines = [IdentityInline]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["kind", "address", "customer", "created_at"]
    list_filter = ["kind"]
    search_fields = ["address"]
    raw_id_fields = ["customer"]
