# Django's Icelandic locale has no date-and-time formats, so emails fell back to the English
# order ("nóv. 25, 2026, hádegi"). Icelandic writes the day first, with a 24-hour clock.
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"
