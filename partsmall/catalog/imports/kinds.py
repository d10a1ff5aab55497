"""The kinds of import, by ImportJob.Kind value.

The catalogue's own five kinds, and the kinds of apps above it named by dotted path in
settings.CATALOG_IMPORT_KINDS (inventory's stock sheet): they reuse this framework
(staging, preview, report, apply in chunks) while the catalogue never imports them.
"""

from collections.abc import Iterator, Mapping
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from partsmall.catalog.imports.base import ImportKind
from partsmall.catalog.imports.fitment import FitmentKind
from partsmall.catalog.imports.offers import OffersKind
from partsmall.catalog.imports.parts import PartsKind
from partsmall.catalog.imports.vehicle_types import VehicleTypesKind
from partsmall.catalog.imports.vin_patterns import VinPatternsKind
from partsmall.catalog.models import ImportJob
from partsmall.organizations.models import Organization

CATALOG = "catalog"


class _Kinds(Mapping[str, ImportKind]):
    """Kind value → kind, loaded on first use (the kinds of other apps import those apps,
    which may import the catalogue: never at this module's import)."""

    @cached_property
    def _loaded(self) -> dict[str, ImportKind]:
        builtin: tuple[ImportKind, ...] = (
            PartsKind(),
            FitmentKind(),
            OffersKind(),
            VehicleTypesKind(),
            VinPatternsKind(),
        )
        extra = tuple(import_string(path)() for path in settings.CATALOG_IMPORT_KINDS)
        kinds = {kind.kind: kind for kind in (*builtin, *extra)}
        if set(kinds) != set(ImportJob.Kind.values):
            raise ImproperlyConfigured("settings.CATALOG_IMPORT_KINDS must name a kind per ImportJob.Kind")
        return kinds

    def __getitem__(self, name: str) -> ImportKind:
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded)

    def __len__(self) -> int:
        return len(self._loaded)


KINDS = _Kinds()


def kind_of(name: str) -> ImportKind:
    return KINDS[name]


def kinds_of_console(console: str) -> list[str]:
    """The kind values whose jobs the pages of `console` serve."""
    return [name for name in ImportJob.Kind.values if KINDS[name].console == console]


def kinds_for(organization: Organization, *, console: str = CATALOG) -> list[ImportKind]:
    """The kinds this organization may import on the pages of `console`, in the order of
    ImportJob.Kind."""
    return [KINDS[name] for name in kinds_of_console(console) if organization.kind in KINDS[name].allowed]
