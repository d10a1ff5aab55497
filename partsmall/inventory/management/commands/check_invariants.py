"""manage.py check_invariants: every violation of the stock invariants, exit code 1 if any.

0 <= reserved <= on_hand; on_hand == Σ movements (and reserved too); reserved == what the
reservations hold; with --offers, each offer's stock_quantity against its stock levels.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partsmall.inventory.selectors import invariant_violations


class Command(BaseCommand):
    help = "Checks the stock invariants; prints every violation and exits non-zero when there is one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--offers", action="store_true", help="also check Offer.stock_quantity against the stock levels"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        violations = invariant_violations(offers=options["offers"])
        for violation in violations:
            self.stdout.write(str(violation))
        if violations:
            raise CommandError(f"{len(violations)} stock invariant violation(s)", returncode=1)
        self.stdout.write(self.style.SUCCESS("stock invariants hold"))
