import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom.commands import CleanCommand, UsageError


class Command(CleanCommand):
    help = (
        "Create (or reset) the local 'admin' superuser with a fresh random password and "
        "print it. For a laptop demo: refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--site", default="", help="the address the site is served at (default SITE_URL)"
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise UsageError(
                "refusing to reset an admin password with DEBUG off; use manage.py createsuperuser"
            )
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=options["username"], defaults={"email": "admin@localhost"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        site = (options["site"] or settings.SITE_URL).rstrip("/")
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Admin: {site}/admin/\n  username: {user.username}\n  password: {password}\n"
            )
        )
