"""Tiny readers for settings taken from the environment."""

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise RuntimeError(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise RuntimeError(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None else int(value)


def env_smtp_options() -> dict:
    """The SMTP mailer's options (Django's smtp.EmailBackend) from EMAIL_* variables.

    A timeout always: a hung mail server must not hold a worker past its claim on the row.
    """
    use_ssl = env_bool("EMAIL_USE_SSL", False)  # implicit TLS (port 465)
    use_tls = env_bool("EMAIL_USE_TLS", not use_ssl)  # STARTTLS (port 587)
    return {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 465 if use_ssl else 587 if use_tls else 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": use_tls,
        "use_ssl": use_ssl,
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
