from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.catalog.imports.base import ImportKind
from partsmall.catalog.imports.services import MAX_UPLOAD_MB


class ImportUploadForm(forms.Form):
    required_marks = ("kind", "file")

    kind = forms.ChoiceField(label=_("导入类型"))
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("用下载的模板填写，.xlsx 格式，不超过 %(mb)s MB。") % {"mb": MAX_UPLOAD_MB},
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("上传的文件是空的。")},
    )

    def __init__(self, *args: Any, kinds: list[ImportKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(k.kind, k.title) for k in kinds]
        kind_field.error_messages["required"] = _("请选择导入类型。")
        kind_field.widget.attrs.update({"class": "form-select", "data-testid": "import-kind"})
        self.fields["file"].widget.attrs.update(
            {"class": "form-control", "accept": ".xlsx", "data-testid": "import-file"}
        )
