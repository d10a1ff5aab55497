"""The demo data set: who exists, where, and with which login.

Every demo login shares one password; phone numbers are readable: 1380000 K NN R, where
K is the kind (0 platform, 1 supplier, 2 repair shop, 3 car owner, 4 applicant), NN the
organization's number and R the person's role in it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partsmall.organizations.models import Application, Organization
from partsmall.organizations.roles import Role

DEMO_PASSWORD = "Demo@2026"
PLATFORM_NAME = "汽配商城平台"

PLATFORM_ROLES = (Role.PLATFORM_REVIEWER, Role.PLATFORM_OPERATOR, Role.PLATFORM_FINANCE, Role.PLATFORM_ADMIN)
SUPPLIER_ROLES = (Role.OWNER, Role.SALES, Role.WAREHOUSE, Role.FINANCE)
SHOP_ROLES = (Role.OWNER, Role.PURCHASER, Role.TECHNICIAN)
CAR_OWNER_COUNT = 20

CAR_OWNER_LABEL = _("车主")

_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧"
_GIVEN = (
    "伟 芳 娜 敏 静 磊 强 洋 勇 军 杰 娟 涛 明 超 霞 平 刚 桂英 建华 志强 海燕 晓东 丽娟 国庆 "
    "春梅 志刚 秀兰 建国 玉兰 文博 子轩 雨萱 浩然 思远 嘉怡 俊杰 欣怡 宇航 梓涵"
).split()


def person_name(n: int) -> str:
    """A made-up Chinese name for the n-th demo person (deterministic)."""
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)]


def platform_phone(role_index: int) -> str:
    return f"138000000{role_index:02d}"


def supplier_phone(org_index: int, role_index: int) -> str:
    return f"13800001{org_index:02d}{role_index}"


def shop_phone(org_index: int, role_index: int) -> str:
    return f"13800002{org_index:02d}{role_index}"


def car_owner_phone(n: int) -> str:
    return f"13800003{n:03d}"


def applicant_phone(n: int) -> str:
    return f"13800004{n:02d}1"


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    district: str
    street: str
    area_code: str


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    kind: str
    place: Place
    channel: str = Application.Channel.FIELD_SALES
    tier: str = Organization.Tier.STANDARD
    bank: str = "中国工商银行"


SUPPLIERS = (
    DemoOrganization(
        "广州骏驰汽配有限公司",
        Organization.Kind.SUPPLIER,
        Place("广东省", "广州市", "白云区", "石井街道石槎路 888 号骏驰汽配城 A 栋", "020"),
        bank="招商银行",
    ),
    DemoOrganization(
        "杭州恒润汽车零部件有限公司",
        Organization.Kind.SUPPLIER,
        Place("浙江省", "杭州市", "萧山区", "经济技术开发区建设三路 166 号", "0571"),
        channel=Application.Channel.SEARCH,
    ),
    DemoOrganization(
        "苏州昊天滤清器有限公司",
        Organization.Kind.SUPPLIER,
        Place("江苏省", "苏州市", "吴中区", "木渎镇金枫南路 1288 号", "0512"),
        channel=Application.Channel.REFERRAL,
        bank="中国银行",
    ),
    DemoOrganization(
        "临沂鲁通汽配贸易有限公司",
        Organization.Kind.SUPPLIER,
        Place("山东省", "临沂市", "兰山区", "临西十一路汽配城 5 区 18 号", "0539"),
        bank="中国农业银行",
    ),
    DemoOrganization(
        "保定冀安汽车零部件有限公司",
        Organization.Kind.SUPPLIER,
        Place("河北省", "保定市", "竞秀区", "朝阳北大街 2266 号", "0312"),
        channel=Application.Channel.ADVERTISING,
        bank="中国建设银行",
    ),
)

SHOPS = (
    DemoOrganization(
        "上海安途汽车服务连锁有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("上海市", "上海市", "闵行区", "虹梅南路 1755 号", "021"),
        tier=Organization.Tier.KEY_ACCOUNT,
        bank="交通银行",
    ),
    DemoOrganization(
        "广州天河车之道汽车维修服务有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("广东省", "广州市", "天河区", "中山大道西 238 号", "020"),
    ),
    DemoOrganization(
        "北京朝阳顺达汽车维修有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("北京市", "北京市", "朝阳区", "东三环北路 8 号院 3 号楼", "010"),
        channel=Application.Channel.SEARCH,
    ),
    DemoOrganization(
        "深圳南山车管家汽车服务有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("广东省", "深圳市", "南山区", "高新南七道 20 号", "0755"),
        channel=Application.Channel.REFERRAL,
        bank="招商银行",
    ),
    DemoOrganization(
        "成都武侯蓉城汽车修理有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("四川省", "成都市", "武侯区", "二环路南四段 51 号", "028"),
    ),
    DemoOrganization(
        "武汉洪山捷安汽车维修有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("湖北省", "武汉市", "洪山区", "珞喻路 726 号", "027"),
        channel=Application.Channel.ADVERTISING,
    ),
    DemoOrganization(
        "郑州金水中原快修汽车服务有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("河南省", "郑州市", "金水区", "花园路 139 号", "0371"),
        bank="中国银行",
    ),
    DemoOrganization(
        "长沙岳麓湘车汽车维修有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("湖南省", "长沙市", "岳麓区", "麓山南路 88 号", "0731"),
    ),
    DemoOrganization(
        "重庆九龙坡山城汽车修理有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("重庆市", "重庆市", "九龙坡区", "杨家坪正街 16 号", "023"),
        channel=Application.Channel.OTHER,
    ),
    DemoOrganization(
        "厦门思明鹭岛汽车服务有限公司",
        Organization.Kind.REPAIR_SHOP,
        Place("福建省", "厦门市", "思明区", "湖滨南路 359 号", "0592"),
        bank="兴业银行",
    ),
)

# Waiting in the review queue: a first submission, and one resubmitted after a rejection.
PENDING_SUPPLIER = DemoOrganization(
    "宁波甬兴汽车电器有限公司",
    Organization.Kind.SUPPLIER,
    Place("浙江省", "宁波市", "北仑区", "新碶街道明州路 515 号", "0574"),
    channel=Application.Channel.REFERRAL,
)
PENDING_SHOP = DemoOrganization(
    "南京金陵车友汽车维修有限公司",
    Organization.Kind.REPAIR_SHOP,
    Place("江苏省", "南京市", "江宁区", "双龙大道 1222 号", "025"),
)
PENDING_SHOP_REJECT_REASON = "营业执照照片模糊，无法辨认统一社会信用代码，请上传清晰的彩色扫描件"
PENDING_REFERRAL_CODE = "GZJC2026"

# The logins printed by load_demo and `make run`: one per role.
SHOWCASE_PHONES = (
    *(platform_phone(r) for r in range(1, len(PLATFORM_ROLES) + 1)),
    *(supplier_phone(1, r) for r in range(1, len(SUPPLIER_ROLES) + 1)),
    shop_phone(1, 1),
    *(shop_phone(2, r) for r in range(1, len(SHOP_ROLES) + 1)),
    car_owner_phone(1),
    applicant_phone(1),
    applicant_phone(2),
)
