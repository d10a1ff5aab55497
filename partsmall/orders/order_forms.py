"""Forms of the order and after-sales pages. They carry input only: the services check it
and their refusals are shown under the fields (`show_errors`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partsmall.orders.models import ReturnRequest
from partsmall.orders.order_selectors import ShipChoice, ShipRow
from partsmall.orders.services.shipments import ShipItem
from partsmall.organizations.forms import StyledForm


def _text(label: Any, *, max_length: int, required: bool = False, **attrs: Any) -> forms.CharField:
    # Lengths are the services' to refuse (with their message); the widget only hints.
    return forms.CharField(
        label=label, required=required, max_length=max_length * 2, widget=forms.TextInput(attrs=attrs)
    )


def _area(label: Any, *, max_length: int, rows: int = 3, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length * 2,
        widget=forms.Textarea(attrs={"rows": rows, **attrs}),
    )


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class ReasonForm(StyledForm):
    """A refusal (reject an order, a return, a transfer) or a dispute: the reason is required."""

    required_marks = frozenset({"reason"})
    reason = _area(_("原因"), max_length=200, placeholder=_("买家 / 卖家将看到这段说明"))


class OptionalReasonForm(StyledForm):
    reason = _area(_("原因"), max_length=200, rows=2)


class NoteForm(StyledForm):
    note = _text(_("备注"), max_length=200, placeholder=_("如：转账流水号、付款账户"))


class ParcelForm(StyledForm):
    """Carrier and tracking number of a parcel (shipment or a return shipped back)."""

    required_marks = frozenset({"carrier"})
    carrier = _text(_("承运商"), max_length=50, placeholder=_("如：顺丰速运、德邦物流、自送"))
    tracking_number = _text(_("运单号"), max_length=50)


def _choice_label(choice: ShipChoice) -> str:
    return _("%(name)s（本单预留 %(held)s · 可用 %(free)s）") % {
        "name": choice.warehouse.name,
        "held": choice.held,
        "free": choice.available,
    }


class ShipForm(ParcelForm):
    """The parcel and, per open line, a warehouse and a quantity (fields wh_<id>, qty_<id>)."""

    def __init__(self, *args: Any, rows: list[ShipRow], **kwargs: Any) -> None:
        self.rows = rows
        initial = kwargs.pop("initial", {}) or {}
        for row in rows:
            initial.setdefault(f"wh_{row.line.pk}", row.default_warehouse_id)
            initial.setdefault(f"qty_{row.line.pk}", row.line.open_quantity)
        super().__init__(*args, initial=initial, **kwargs)
        for row in rows:
            choices = [("", _("请选择仓库"))] + [(str(c.warehouse.pk), _choice_label(c)) for c in row.choices]
            self.fields[f"wh_{row.line.pk}"] = forms.ChoiceField(
                label=_("发货仓库"),
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"qty_{row.line.pk}"] = forms.CharField(
                label=_("本次发货"),
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "min": 0}),
            )

    def items(self) -> list[ShipItem]:
        data = self.cleaned_data
        items = []
        for row in self.rows:
            warehouse = data.get(f"wh_{row.line.pk}") or ""
            quantity = (data.get(f"qty_{row.line.pk}") or "0").strip() or "0"
            items.append(
                ShipItem(
                    line_id=row.line.pk, warehouse_id=int(warehouse) if warehouse else None, quantity=quantity
                )
            )
        return items

    def bound_rows(self) -> list[tuple[ShipRow, forms.BoundField, forms.BoundField]]:
        return [(row, self[f"wh_{row.line.pk}"], self[f"qty_{row.line.pk}"]) for row in self.rows]


class ReturnRequestForm(StyledForm):
    """A return request; the photos come from request.FILES ("photos", several)."""

    required_marks = frozenset({"quantity", "reason", "photos"})
    quantity = forms.CharField(
        label=_("退货数量"), required=False, widget=forms.NumberInput(attrs={"min": 1})
    )
    reason = forms.ChoiceField(
        label=_("退货原因"), required=False, choices=[("", _("请选择"))] + list(ReturnRequest.Reason.choices)
    )
    fitment = forms.ChoiceField(label=_("购买时依据的适配车型"), required=False)
    description = _area(_("问题描述"), max_length=500, placeholder=_("请描述问题，便于供应商判断"))
    photos = forms.CharField(
        label=_("照片"), required=False, help_text=_("1 至 6 张，JPG / PNG / WebP，每张不超过 5 MB。")
    )

    def __init__(self, *args: Any, fitments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fitment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("不涉及 / 未按适配车型购买"))] + [(str(pk), label) for pk, label in fitments]
        field.help_text = _("原因为“不适配”时请选择，平台据此核查适配数据。")
        self.fields["photos"].widget = MultipleImageInput(
            attrs={"accept": "image/*", "class": "form-control"}
        )


class ReceiveForm(StyledForm):
    required_marks = frozenset({"warehouse"})
    warehouse = forms.ChoiceField(label=_("入库仓库"), required=False)

    def __init__(self, *args: Any, warehouses: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["warehouse"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择仓库"))] + [(str(pk), name) for pk, name in warehouses]


class ArbitrateForm(StyledForm):
    required_marks = frozenset({"decision", "reason"})
    decision = forms.ChoiceField(
        label=_("裁决"),
        required=False,
        choices=[
            ("", _("请选择")),
            ("approve", _("支持买家：同意退货")),
            ("reject", _("支持供应商：驳回退货")),
        ],
    )
    reason = _area(_("裁决说明"), max_length=200)
