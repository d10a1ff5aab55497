"""Error codes and the messages of refused organization actions (tests assert on these)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    INVALID = "invalid"
    OPEN_APPLICATION = "open_application"
    ILLEGAL_TRANSITION = "illegal_transition"
    SELF_REVIEW = "self_review"
    PLATFORM_STATUS = "platform_status"
    LAST_OWNER = "last_owner"
    OWN_MEMBERSHIP = "own_membership"
    MEMBER_REMOVED = "member_removed"


# Application form.
KIND_REQUIRED = _("请选择入驻类型：配件厂商或汽修门店。")
NAME_REQUIRED = _("请输入企业名称。")
NAME_TOO_LONG = _("企业名称不能超过 100 个字。")
DUPLICATE_CREDIT_CODE = _("该统一社会信用代码已提交入驻申请或已入驻。")
LICENCE_REQUIRED = _("请上传营业执照。")
LICENCE_TOO_LARGE = _("营业执照文件不能超过 5 MB。")
LICENCE_BAD_TYPE = _("营业执照须为 JPG、PNG 图片或 PDF 文件。")
PROVINCE_REQUIRED = _("请选择省份。")
CITY_REQUIRED = _("请选择城市。")
DISTRICT_REQUIRED = _("请选择区县。")
REGION_UNKNOWN = _("所选地区不存在，请重新选择。")
CITY_NOT_IN_PROVINCE = _("所选城市不属于所选省份。")
DISTRICT_NOT_IN_CITY = _("所选区县不属于所选城市。")
ADDRESS_REQUIRED = _("请输入详细地址。")
ADDRESS_TOO_LONG = _("详细地址不能超过 200 个字。")
CONTACT_NAME_REQUIRED = _("请输入联系人姓名。")
CONTACT_NAME_TOO_LONG = _("联系人姓名不能超过 50 个字。")
INVOICE_TAX_NUMBER_INVALID = _("税号应为 15 到 20 位数字或大写字母。")
INVOICE_BANK_ACCOUNT_INVALID = _("银行账号应为 8 到 30 位数字。")
INVOICE_FIELD_TOO_LONG = _("内容过长。")
CHANNEL_INVALID = _("请选择来源渠道。")
REFERRAL_CODE_INVALID = _("推荐码应为 4 到 32 位字母或数字。")
OPEN_APPLICATION_EXISTS = _("您已有一份入驻申请（待审核或已驳回），请在申请进度页查看，或修改后重新提交。")
NAME_LOCKED = _("企业名称和统一社会信用代码在入驻后不能修改，请联系平台。")

# Review and status changes.
ILLEGAL_APPLICATION_TRANSITION = _("入驻申请当前为「%(from)s」，不能变更为「%(to)s」。")
ILLEGAL_ORGANIZATION_TRANSITION = _("组织当前为「%(from)s」，不能变更为「%(to)s」。")
NOT_REJECTED = _("只有被驳回的入驻申请可以修改并重新提交。")
SELF_REVIEW = _("不能审核自己或本组织的入驻申请。")
REASON_REQUIRED = _("请填写原因。")
REASON_TOO_LONG = _("原因不能超过 500 个字。")
PLATFORM_STATUS_LOCKED = _("平台组织的状态不能变更。")

# Members.
ROLE_REQUIRED = _("请选择角色。")
ROLE_NOT_ALLOWED = _("该角色不适用于此类组织。")
TOP_ROLE_ONLY = _("只有所有者可以授予、变更或移除所有者角色。")
DUPLICATE_MEMBER = _("该手机号已是本组织成员。")
MEMBER_NAME_TOO_LONG = _("姓名不能超过 50 个字。")
LAST_OWNER = _("组织至少需要保留一位所有者，不能移除或降级最后一位所有者。")
OWN_ROLE = _("不能变更自己的角色。")
OWN_REMOVAL = _("不能移除自己。")
MEMBER_ALREADY_REMOVED = _("该成员已被移除。")
