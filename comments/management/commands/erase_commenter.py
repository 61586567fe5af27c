from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments.services import commenter_erase


class Command(BaseCommand):
    help = (
        "Anonymise every comment written with EMAIL (as WordPress's personal-data eraser): the name becomes "
        "“Anonymous”; email, website, IP address and user agent are removed. Reports how many comments changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address (case does not matter).")
        parser.add_argument("--dry-run", action="store_true", help="Count the comments, change nothing.")

    def handle(self, *args, email, dry_run=False, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        count = commenter_erase(email=email, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {count} comment{'s' if count != 1 else ''} by {email}.")
