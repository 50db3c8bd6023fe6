import pytest

from staydesk.accounts.models import Membership
from staydesk.accounts.services import organization_update_contacts
from staydesk.core.errors import DomainError, InvalidInput
from tests.factories import MembershipFactory


@pytest.fixture
def owner(db):
    return MembershipFactory(role=Membership.Role.OWNER)


def test_an_owner_sets_the_contacts_in_e164(owner):
    org = organization_update_contacts(
        organization=owner.organization,
        user=owner.user,
        email="desk@hotel.pl",
        phone="+48 601 234 567",
    )
    org.refresh_from_db()
    assert (org.notification_email, org.notification_phone) == ("desk@hotel.pl", "+48601234567")


def test_staff_may_not_change_the_contacts(owner):
    staff = MembershipFactory(organization=owner.organization, role=Membership.Role.STAFF)
    before = owner.organization.notification_email
    with pytest.raises(DomainError) as refused:
        organization_update_contacts(
            organization=owner.organization, user=staff.user, email="x@example.com", phone=""
        )
    assert (refused.value.code, refused.value.status) == ("owner_only", 403)
    owner.organization.refresh_from_db()
    assert owner.organization.notification_email == before


@pytest.mark.parametrize(
    ("email", "phone", "code"),
    [("not-an-email", "", "invalid_email"), ("a@example.com", "12", "invalid_phone")],
)
def test_bad_contacts_are_refused_and_nothing_saved(owner, email, phone, code):
    before = owner.organization.notification_email
    with pytest.raises(InvalidInput) as refused:
        organization_update_contacts(
            organization=owner.organization, user=owner.user, email=email, phone=phone
        )
    assert refused.value.code == code
    owner.organization.refresh_from_db()
    assert owner.organization.notification_email == before
