"""With a language active, what users read comes out translated."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext

from staydesk.bookings.states import Action, Status
from staydesk.web.forms.pricing import ConstructorSettingsForm
from staydesk.web.forms.profile import ContactsForm

STATUS = {
    "ru": ("Ожидает подтверждения", "Отменено гостем"),
    "pl": ("Oczekuje na potwierdzenie", "Anulowana przez gościa"),
    "cs": ("Čeká na potvrzení", "Zrušeno hostem"),
    "is": ("Bíður staðfestingar", "Afpöntuð af gesti"),
}
PHONE_ERROR = {
    "ru": "Введите корректный номер телефона в международном формате, например +48601234567.",
    "pl": "Wpisz poprawny numer telefonu w formacie międzynarodowym, np. +48601234567.",
    "cs": "Zadejte platné telefonní číslo v mezinárodním formátu, např. +48601234567.",
    "is": "Sláðu inn gilt símanúmer á alþjóðlegu sniði, t.d. +48601234567.",
}


@pytest.mark.parametrize("lang", STATUS)
def test_status_names_are_translated(lang):
    awaiting, cancelled = STATUS[lang]
    with translation.override(lang):
        assert str(Status.PENDING_CONFIRMATION.label) == awaiting
        assert str(Status.CANCELLED_BY_GUEST.label) == cancelled
        assert str(Action.PAY.label) != "Payment received"
    assert str(Status.PENDING_CONFIRMATION.label) == "Awaiting confirmation"


@pytest.mark.parametrize("lang", PHONE_ERROR)
def test_a_form_error_is_translated(lang):
    with translation.override(lang):
        form = ContactsForm(data={"email": "desk@example.com", "phone": "12"})
        assert not form.is_valid()
        assert form.errors["phone"] == [PHONE_ERROR[lang]]


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("ru", "Минимальная предоплата (% от суммы)"),
        ("pl", "Minimalna przedpłata (% kwoty)"),
        ("cs", "Minimální záloha (% z celkové ceny)"),
        ("is", "Lágmarksfyrirframgreiðsla (% af heild)"),
    ],
)
def test_a_label_with_a_bare_percent_sign_is_translated(lang, label):
    # xgettext takes "% o" for a directive; scripts/translations keeps this entry compilable.
    with translation.override(lang):
        assert str(ConstructorSettingsForm().fields["prepayment_percent"].label) == label


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        # Russian and Polish: one, few (2-4, 22-24 …), many (5-20, 25 …); 21 is "one" in Russian.
        (
            "ru",
            {
                1: "1 бронирование",
                3: "3 бронирования",
                5: "5 бронирований",
                21: "21 бронирование",
                12: "12 бронирований",
            },
        ),
        (
            "pl",
            {
                1: "1 rezerwacja",
                3: "3 rezerwacje",
                5: "5 rezerwacji",
                22: "22 rezerwacje",
                12: "12 rezerwacji",
            },
        ),
        ("cs", {1: "1 rezervace", 3: "3 rezervace", 5: "5 rezervací"}),
        # Icelandic: singular for 1, 21, 31 … but not 11.
        ("is", {1: "1 bókun", 21: "21 bókun", 11: "11 bókanir", 3: "3 bókanir"}),
    ],
)
def test_plural_forms_follow_the_language(lang, counts):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} booking"
        "{% plural %}{{ counter }} bookings{% endblocktranslate %}"
    )
    with translation.override(lang):
        for n, text in counts.items():
            assert template.render(Context({"n": n})) == text


def test_percent_signs_and_placeholders_survive_formatting():
    with translation.override("ru"):
        text = ngettext(
            "%(percent)s %% of the total (%(days)s day before arrival)",
            "%(percent)s %% of the total (%(days)s days before arrival)",
            3,
        ) % {"percent": "80", "days": 3}
        assert text == "80 % от суммы (за 3 дня до заезда)"
    with translation.override("is"):
        assert gettext("Sign in") == "Skrá inn"
