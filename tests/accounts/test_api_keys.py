import hashlib

import pytest
from django.db import IntegrityError

from staydesk.accounts.models import ApiKey
from staydesk.accounts.services import api_key_authenticate, api_key_create, api_key_revoke
from tests.factories import AgencyFactory, OrganizationFactory


def test_key_is_stored_hashed_and_authenticates_once_shown(db):
    org = OrganizationFactory()
    key, token = api_key_create(name="Channel manager", organization=org)
    stored = ApiKey.objects.get(pk=key.pk)
    assert token not in stored.hashed_secret
    assert stored.hashed_secret == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(f"sd_{stored.prefix}_")
    authenticated = api_key_authenticate(token=token)
    assert authenticated == key
    assert authenticated.organization == org
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # wrong secret, right prefix
        lambda t: "sd_00000000_" + t.split("_", 2)[2],  # unknown prefix
        lambda t: "",
        lambda t: "Bearer " + t,
        lambda t: t.replace("sd_", "xx_", 1),
    ],
)
def test_wrong_tokens_are_refused(db, mangle):
    _key, token = api_key_create(name="k", agency=AgencyFactory())
    assert api_key_authenticate(token=mangle(token)) is None


def test_revoked_key_no_longer_authenticates(db):
    key, token = api_key_create(name="k", agency=AgencyFactory())
    api_key_revoke(key=key)
    assert api_key_authenticate(token=token) is None


def test_a_key_has_exactly_one_owner(db):
    with pytest.raises(ValueError):
        api_key_create(name="k")
    with pytest.raises(ValueError):
        api_key_create(name="k", organization=OrganizationFactory(), agency=AgencyFactory())
    with pytest.raises(IntegrityError):
        ApiKey.objects.create(name="orphan", prefix="abcd1234", hashed_secret="x")
