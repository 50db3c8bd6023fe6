"""Demo guests from the seeds' countries (and a few English speakers), picked by a seeded RNG."""

import random
import unicodedata

import phonenumbers

from staydesk.bookings.services import GuestDetails

# language: (phone prefix, national-number prefixes, digits after them,
#            female first names, female last names, male first names, male last names)
NATIONS = {
    "pl": (
        "+48",
        ("501", "512", "533", "601", "602", "660", "691", "721", "781", "791"),
        6,
        ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Zofia", "Joanna"),
        ("Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Zielińska"),
        ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Łukasz"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Zieliński"),
    ),
    "ru": (
        "+7",
        ("903", "905", "916", "926", "985"),
        7,
        ("Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна"),
        ("Иванова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева"),
        ("Иван", "Дмитрий", "Сергей", "Алексей", "Андрей", "Михаил"),
        ("Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев"),
    ),
    "cs": (
        "+420",
        ("602", "603", "604", "605", "720", "731", "737", "777"),
        6,
        ("Jana", "Eva", "Hana", "Lucie", "Petra", "Tereza"),
        ("Nováková", "Svobodová", "Dvořáková", "Černá", "Procházková", "Kučerová"),
        ("Jan", "Petr", "Jiří", "Tomáš", "Martin", "Lukáš"),
        ("Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera"),
    ),
    "is": (
        "+354",
        ("611", "620", "660", "690", "770", "820", "862"),
        4,
        ("Guðrún", "Sigríður", "Kristín", "Helga", "Anna", "Katrín"),
        ("Jónsdóttir", "Sigurðardóttir", "Guðmundsdóttir", "Einarsdóttir", "Ólafsdóttir"),
        ("Jón", "Sigurður", "Guðmundur", "Gunnar", "Ólafur", "Einar"),
        ("Jónsson", "Sigurðsson", "Guðmundsson", "Einarsson", "Ólafsson", "Magnússon"),
    ),
    "en": (
        "+44",
        ("7911", "7723", "7400", "7825"),
        6,
        ("Emma", "Olivia", "Sophie", "Charlotte", "Grace"),
        ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans"),
        ("James", "Oliver", "Thomas", "Daniel", "Harry"),
        ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans"),
    ),
}
# Who books where: guests' languages by the property's country.
MIX_BY_COUNTRY = {
    "PL": {"pl": 45, "ru": 15, "cs": 15, "is": 5, "en": 20},
    "IS": {"pl": 20, "ru": 15, "cs": 15, "is": 20, "en": 30},
}

# Transliteration for demo email addresses; accents are dropped afterwards.
_SPELL = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
        **{"ё": "e", "ж": "zh", "\u0445": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ъ": "", "ь": "", "ю": "yu", "я": "ya", "ł": "l", "ð": "d", "þ": "th", "æ": "ae"},
    }
)


def ascii_name(text: str) -> str:
    """``Łukasz`` → ``lukasz``, ``Дмитрий`` → ``dmitriy``: for demo email addresses."""
    spelled = text.lower().translate(_SPELL)
    return unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()


def demo_guest(rng: random.Random, country: str, n: int) -> GuestDetails:
    mix = MIX_BY_COUNTRY.get(country, MIX_BY_COUNTRY["PL"])
    language = rng.choices(list(mix), weights=list(mix.values()))[0]
    code, prefixes, digits, f_first, f_last, m_first, m_last = NATIONS[language]
    female = rng.random() < 0.5
    first = rng.choice(f_first if female else m_first)
    last = rng.choice(f_last if female else m_last)
    phone = ""
    if rng.random() < 0.8:
        number = (
            code + rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(digits))
        )
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            phone = number
    domain = rng.choice(("example.com", "example.org", "example.net"))
    return GuestDetails(
        first_name=first,
        last_name=last,
        email=f"{ascii_name(first)}.{ascii_name(last)}{n}@{domain}",
        phone=phone,
        language=language,
    )
