"""Reads of the demo: which demo logins exist, to print them for whoever starts the platform."""

from dataclasses import dataclass

from django.db.models import Prefetch

from partsmall.accounts.models import User
from partsmall.catalog.models import Offer, Part
from partsmall.demo import data
from partsmall.organizations.models import Membership, Organization
from partsmall.vehicles.models import VehicleType, VinPattern


@dataclass(frozen=True)
class DemoLogin:
    role: str
    phone: str
    password: str
    organization: str


def _role_label(membership: Membership | None) -> str:
    if membership is None:
        return str(data.CAR_OWNER_LABEL)
    org = membership.organization
    kind = str(org.get_kind_display())
    if org.tier == Organization.Tier.KEY_ACCOUNT:
        kind += f"（{org.get_tier_display()}）"
    if org.status == Organization.Status.PENDING:
        kind += f"（{org.get_status_display()}）"
    return f"{kind} · {membership.get_role_display()}"


def demo_logins() -> list[DemoLogin]:
    """One demo login per role, in a fixed order; empty when the demo was not loaded."""
    memberships = Prefetch("memberships", queryset=Membership.objects.select_related("organization"))
    users = {
        user.phone: user
        for user in User.objects.filter(phone__in=data.SHOWCASE_PHONES).prefetch_related(memberships)
    }
    logins = []
    for phone in data.SHOWCASE_PHONES:
        user = users.get(phone)
        if user is None:
            continue
        membership = next(iter(user.memberships.all()), None)
        logins.append(
            DemoLogin(
                role=_role_label(membership),
                phone=phone,
                password=data.DEMO_PASSWORD,
                organization=membership.organization.name if membership else "—",
            )
        )
    return logins


def database_is_empty() -> bool:
    """No organization yet: a fresh database that `load_demo --if-empty` may fill."""
    return not Organization.objects.exists()


def vehicle_type_labels(keys: list[str]) -> dict[str, str]:
    """Key → readable label (丰田 卡罗拉 1.2L 8NR-FTS …) of the vehicle types that exist."""
    types = VehicleType.objects.filter(key__in=keys).select_related("model__make")
    return {t.key: t.label for t in types}


def catalog_counts() -> dict[str, int]:
    """How big the loaded catalogue is, for the summary line."""
    return {
        "parts": Part.objects.count(),
        "real_parts": Part.objects.filter(is_demo=False).count(),
        "offers": Offer.objects.count(),
        "vehicle_types": VehicleType.objects.count(),
        "vin_patterns": VinPattern.objects.count(),
    }
