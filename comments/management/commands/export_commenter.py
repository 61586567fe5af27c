import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments.services import commenter_export


class Command(BaseCommand):
    help = "Print every comment written with EMAIL as JSON (a personal-data export, as WordPress offers)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address (case does not matter).")

    def handle(self, *args, email, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        comments = commenter_export(email=email)
        self.stdout.write(json.dumps({"email": email, "comments": comments}, indent=2, ensure_ascii=False))
