from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partsmall.core.errors import ApplicationError
from partsmall.demo.catalog_data import demo_vins
from partsmall.demo.data import CAR_OWNER_COUNT
from partsmall.demo.display import format_logins, format_vins
from partsmall.demo.selectors import catalog_counts, database_is_empty, demo_logins, vehicle_type_labels
from partsmall.demo.services import demo_load
from partsmall.organizations.models import Organization


def _summary(organizations: list[Organization]) -> str:
    active = [org for org in organizations if org.status == Organization.Status.ACTIVE]
    suppliers = sum(org.kind == Organization.Kind.SUPPLIER for org in active)
    shops = [org for org in active if org.kind == Organization.Kind.REPAIR_SHOP]
    key_accounts = sum(org.tier == Organization.Tier.KEY_ACCOUNT for org in shops)
    pending = len(organizations) - len(active)
    return (
        f"Loaded the demo: {suppliers} suppliers, {len(shops)} repair shops ({key_accounts} key account), "
        f"{CAR_OWNER_COUNT} car owners, {pending} applications waiting for review. "
        "Every demo login uses the same password."
    )


class Command(BaseCommand):
    help = "Loads the demo platform: staff, suppliers, repair shops, car owners and a review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any organization exists (used by `make run`).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and not database_is_empty():
            self.stdout.write("The database already holds organizations: demo data not loaded.")
            return
        try:
            loaded = demo_load()
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(self.style.SUCCESS(_summary([item.organization for item in loaded])))
        counts = catalog_counts()
        self.stdout.write(
            f"Catalogue: {counts['parts']:,} parts ({counts['real_parts']} with real OE numbers), "
            f"{counts['offers']:,} offers, {counts['vehicle_types']} vehicle types, "
            f"{counts['vin_patterns']} VIN patterns."
        )
        self.stdout.write(format_logins(demo_logins()))
        self.stdout.write("\nDemo VINs (the shop's search decodes them to these vehicle types):")
        vins = demo_vins()
        labels = vehicle_type_labels([vin.vehicle_type_key for vin in vins])
        self.stdout.write(format_vins(vins, labels))
