"""``manage.py demo_data``: build the demo installation (idempotent) and say how to log in."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staydesk.bookings.states import Status
from staydesk.core.demo import DEMO_PASSWORD, demo_build


class Command(BaseCommand):
    help = gettext_lazy(
        "Create demo organizations, properties, offers, an agency and bookings in every status. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--new-api-key",
            action="store_true",
            help=gettext_lazy("Revoke the demo agency's API key and make a new one."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy(
                "Build it even with DEBUG off (it makes users with a known password)."
            ),
        )

    def handle(self, *args, new_api_key: bool = False, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "The demo creates users with a public password. DEBUG is off, so this looks "
                    "like a real installation: pass --force if you really want the demo here."
                )
            )
        result = demo_build(new_api_key=new_api_key)
        write = self.stdout.write
        if result.rows_created or result.bookings_created or result.api_token:
            write(
                self.style.SUCCESS(
                    _("Demo data: %(rows)d rows and %(bookings)d bookings created in %(s).1f s.")
                    % {
                        "rows": result.rows_created,
                        "bookings": result.bookings_created,
                        "s": result.seconds,
                    }
                )
            )
        else:
            write(_("Demo data is already there: nothing changed."))
        by_status = result.bookings_by_status
        counts = ", ".join(f"{s.label}: {by_status[s]}" for s in Status if s in by_status)
        write(_("Bookings by status: %(counts)s") % {"counts": counts})
        url = settings.STAYDESK_PUBLIC_URL.rstrip("/")
        password = DEMO_PASSWORD
        write("")
        write(_("Open %(url)s/") % {"url": url})
        write(
            _("Provider login: provider / %(pw)s (Baltic Stays), nordic / %(pw)s (Nordic Trails)")
            % {"pw": password}
        )
        write(_("Staff logins: baltic-staff, nordic-staff; agency login: agent (same password)"))
        write(_("Platform admin: %(url)s/admin/ as admin / %(pw)s") % {"url": url, "pw": password})
        if result.api_token:
            write(
                self.style.WARNING(
                    _("Agency API key (shown only now, copy it): %(token)s")
                    % {"token": result.api_token}
                )
            )
        else:
            write(
                _(
                    "The agency API key %(prefix)s… exists; its token was shown when it was made. "
                    "For a new one run: manage.py demo_data --new-api-key "
                    "(or add one in the admin under API keys)."
                )
                % {"prefix": result.api_key.prefix}
            )
