from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.integrations.services import NAME_REQUIRED, ROLE_NOT_ALLOWED, api_key_roles


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        error_messages={"required": NAME_REQUIRED},
        help_text=_("说明这把密钥给哪个系统用，例如：ERP 库存同步。"),
    )
    role = forms.ChoiceField(
        label=_("角色"),
        error_messages={"required": ROLE_NOT_ALLOWED, "invalid_choice": ROLE_NOT_ALLOWED},
        help_text=_("密钥以该角色的权限调用 API；不能是所有者或管理员。"),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in api_key_roles(kind=kind)]  # type: ignore[attr-defined]
