"""Messages of refused vehicle actions (tests assert on these). VIN messages: vin.py."""

from django.utils.translation import gettext_lazy as _

MAKE_REQUIRED = _("请输入品牌。")
MAKE_TOO_LONG = _("品牌不能超过 50 个字。")
MODEL_REQUIRED = _("请输入车系。")
MODEL_TOO_LONG = _("车系不能超过 80 个字。")
YEAR_OUT_OF_RANGE = _("年份应在 %(min)s 到 %(max)s 之间。")
YEARS_REVERSED = _("终止年份不能早于起始年份。")
DISPLACEMENT_INVALID = _("排量应为 0.1 到 30 之间的数字（单位 L），如 1.6。")
FUEL_INVALID = _("请选择燃料类型。")
DUPLICATE_VEHICLE_TYPE = _("已有相同的车型（品牌、车系、代别、发动机、排量、燃料、变速箱和年份都相同）。")

WMI_INVALID = _("WMI 应为 3 位数字或字母（不含 I、O、Q），即 VIN 的前 3 位。")
VDS_PREFIX_INVALID = _("VDS 前缀应为 0 到 5 位数字或字母（不含 I、O、Q），即 VIN 的第 4–8 位开头部分。")
VEHICLE_TYPES_REQUIRED = _("请至少选择一个车型。")
VEHICLE_TYPE_UNKNOWN = _("车型不存在：%(ids)s。")
DUPLICATE_VIN_PATTERN = _("已有相同 WMI 和 VDS 前缀的 VIN 规则。")

NOT_A_CANDIDATE = _("所选车型不是该 VIN 的候选车型。")
VEHICLE_TYPE_IDS_INVALID = _("车型 ID 应为数字，用逗号分隔（“%(token)s”不是数字）。")
INVALID_NUMBER = _("参数 %(name)s 应为整数。")
