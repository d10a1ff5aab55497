"""The seven geographic regions 大区 of China, by the two-digit province code of
organizations.Region: allocation prefers a warehouse in the buyer's province, then one in
the same region."""

from django.utils.translation import gettext_lazy as _

EAST, SOUTH, NORTH, CENTRAL, SOUTHWEST, NORTHWEST, NORTHEAST = (
    "east",
    "south",
    "north",
    "central",
    "southwest",
    "northwest",
    "northeast",
)

REGION_LABELS = {
    EAST: _("华东"),
    SOUTH: _("华南"),
    NORTH: _("华北"),
    CENTRAL: _("华中"),
    SOUTHWEST: _("西南"),
    NORTHWEST: _("西北"),
    NORTHEAST: _("东北"),
}

PROVINCES_OF: dict[str, tuple[str, ...]] = {
    # 上海 江苏 浙江 安徽 福建 江西 山东
    EAST: ("31", "32", "33", "34", "35", "36", "37"),
    # 广东 广西 海南 香港 澳门
    SOUTH: ("44", "45", "46", "81", "82"),
    # 北京 天津 河北 山西 内蒙古
    NORTH: ("11", "12", "13", "14", "15"),
    # 河南 湖北 湖南
    CENTRAL: ("41", "42", "43"),
    # 重庆 四川 贵州 云南 西藏
    SOUTHWEST: ("50", "51", "52", "53", "54"),
    # 陕西 甘肃 青海 宁夏 新疆
    NORTHWEST: ("61", "62", "63", "64", "65"),
    # 辽宁 吉林 黑龙江
    NORTHEAST: ("21", "22", "23"),
}

REGION_OF_PROVINCE: dict[str, str] = {
    province: region for region, provinces in PROVINCES_OF.items() for province in provinces
}


def region_of(province_code: str | None) -> str | None:
    """The region of a province (or of any region code under it: the first two digits)."""
    if not province_code:
        return None
    return REGION_OF_PROVINCE.get(province_code[:2])


def proximity(warehouse_province: str, to_province: str | None) -> int:
    """0 same province, 1 same region, 2 elsewhere (or no delivery province known)."""
    if not to_province:
        return 2
    if warehouse_province[:2] == to_province[:2]:
        return 0
    region = region_of(to_province)
    if region is not None and region == region_of(warehouse_province):
        return 1
    return 2
