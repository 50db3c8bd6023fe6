"""Reads of accounts: which organization a person works for, and their language."""

from staydesk.accounts.models import Membership, Organization, Profile


def organizations_of(*, user) -> list[Organization]:
    return [
        m.organization for m in Membership.objects.filter(user=user).select_related("organization")
    ]


def user_language(*, user) -> str | None:
    return Profile.objects.filter(user=user).values_list("language", flat=True).first()


def is_owner(*, user, organization: Organization) -> bool:
    """Owners manage the organization itself (its contacts); staff work with bookings."""
    return Membership.objects.filter(
        user=user, organization=organization, role=Membership.Role.OWNER
    ).exists()
