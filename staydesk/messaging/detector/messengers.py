"""Messenger handles and invitations (Skype, ICQ, Telegram, WhatsApp, Viber, VK, ...)."""

from __future__ import annotations

import re

MESSENGER = re.compile(
    r"(?:viber|skype|tg|whatsapp|callto|sgnl):/*[\w@.+\-?=&/%]+"
    r"|(?<![\w])(?:skype\w*|skajp\w*|скайп\w*|icq|аськ\w*|telegram\w*|telegrame|телеграм\w*|"
    r"телег[аеуи]|тележк\w*|whats\s?app\w*|whatsup|watsapp\w*|вотсап\w*|ватсап\w*|вацап\w*|"
    r"вотс\s?ап\w*|viber\w*|вайбер\w*|вибер\w*|wechat|snapchat|messenger\w*|"
    r"мессенджер\w*|insta(?:gram\w*)?|инстаграм\w*|инст[аеуы]|instagramu|vkontakte|"
    r"вконтакт\w*|discord|дискорд\w*|signal(?=\s*[:@+])|vk(?=\s*[:@]|\s+id)|вк(?=\s*[:@]|\s+id)|"
    r"в\s+вк|na\s+vk|tg(?=\s*[:@]))(?![\w])"
    r"|(?<![\w@.])@[a-z_][a-z0-9_.]{2,31}\b(?!\.[a-z])"
)


_HINTS = (
    "skype", "skajp", "скайп", "icq", "аськ", "telegram", "телег", "тележк", "whats", "watsapp",
    "вотс", "ватсап", "вацап", "viber", "вайбер", "вибер", "wechat", "snapchat", "messenger",
    "мессенджер", "insta", "инст", "vkontakte", "вконтакт", "discord", "дискорд", "signal",
    "vk", "вк", "tg", "@", "callto", "sgnl",
)  # fmt: skip


def find_messengers(text: str) -> list[tuple[int, int]]:
    if not any(h in text for h in _HINTS):
        return []
    return [m.span() for m in MESSENGER.finditer(text)]
