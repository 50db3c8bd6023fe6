"""Organizations, agencies, their members and API keys in the operator's console."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staydesk.accounts.models import Agency, AgencyMembership, ApiKey, Membership, Organization
from staydesk.accounts.services import api_key_create, api_key_revoke
from staydesk.core.admin import ReadOnlyTabularInline
from staydesk.core.errors import InvalidInput
from staydesk.core.phones import normalize_phone


class OrganizationForm(forms.ModelForm):
    def clean_notification_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["notification_phone"], region=None)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class OrganizationApiKeyInline(ReadOnlyTabularInline):
    model = ApiKey
    fk_name = "organization"
    fields = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    verbose_name_plural = _("API keys (create new ones under API keys)")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = (
        "name",
        "slug",
        "notification_email",
        "notification_phone",
        "language",
        "created_at",
    )
    list_filter = ("language",)
    search_fields = ("name", "slug", "notification_email", "notification_phone")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "created_at"
    inlines = (MembershipInline, OrganizationApiKeyInline)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization")
    search_fields = ("user__username", "user__email", "organization__name")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")


class AgencyMembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 0
    autocomplete_fields = ("user",)


class AgencyApiKeyInline(OrganizationApiKeyInline):
    fk_name = "agency"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "email", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("name", "slug", "email")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "created_at"
    inlines = (AgencyMembershipInline, AgencyApiKeyInline)


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency")
    list_filter = ("agency",)
    search_fields = ("user__username", "user__email", "agency__name")
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency")


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ("name", "organization", "agency")

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and bool(data.get("organization")) == bool(data.get("agency")):
            raise forms.ValidationError(
                _("Choose either an organization or an agency as the key's owner, not both.")
            )
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made by ``api_key_create``: only the hash is stored, the token is shown once."""

    form = ApiKeyForm
    list_display = ("name", "prefix", "owner_display", "created_at", "last_used_at", "revoked_at")
    list_filter = (
        ("revoked_at", admin.EmptyFieldListFilter),
        ("organization", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "prefix", "organization__name", "agency__name")
    list_select_related = ("organization", "agency")
    date_hierarchy = "created_at"
    actions = ("revoke",)
    autocomplete_fields = ("organization", "agency")

    @admin.display(description=_("owner"))
    def owner_display(self, obj: ApiKey):
        return obj.owner

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("prefix", "organization", "agency", "created_at", "last_used_at", "revoked_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "organization", "agency")
        return (
            "name",
            "prefix",
            "organization",
            "agency",
            "created_at",
            "last_used_at",
            "revoked_at",
        )

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        key, token = api_key_create(name=obj.name, organization=obj.organization, agency=obj.agency)
        # The admin goes on with ``obj`` (log entry, redirect): make it the stored key.
        obj.__dict__.update({f.attname: getattr(key, f.attname) for f in ApiKey._meta.fields})
        obj._state.adding = False
        messages.success(
            request,
            _("The new API key's token is shown only this once; copy it now: %(token)s")
            % {"token": token},
        )

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke(self, request, queryset) -> None:
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            api_key_revoke(key=key)
        self.message_user(
            request,
            ngettext("%(n)d API key revoked.", "%(n)d API keys revoked.", len(keys))
            % {"n": len(keys)},
            messages.SUCCESS,
        )
