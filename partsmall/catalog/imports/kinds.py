"""The five kinds of catalogue import, by ImportJob.Kind value."""

from partsmall.catalog.imports.base import ImportKind
from partsmall.catalog.imports.fitment import FitmentKind
from partsmall.catalog.imports.offers import OffersKind
from partsmall.catalog.imports.parts import PartsKind
from partsmall.catalog.imports.vehicle_types import VehicleTypesKind
from partsmall.catalog.imports.vin_patterns import VinPatternsKind
from partsmall.catalog.models import ImportJob
from partsmall.organizations.models import Organization

KINDS: dict[str, ImportKind] = {
    kind.kind: kind
    for kind in (PartsKind(), FitmentKind(), OffersKind(), VehicleTypesKind(), VinPatternsKind())
}
assert set(KINDS) == set(ImportJob.Kind.values)


def kind_of(name: str) -> ImportKind:
    return KINDS[name]


def kinds_for(organization: Organization) -> list[ImportKind]:
    """The kinds this organization may import, in the order of ImportJob.Kind."""
    return [KINDS[name] for name in ImportJob.Kind.values if organization.kind in KINDS[name].allowed]
