"""Imports over the API: a supplier's ERP uploads a sheet, polls it, applies it, fetches the
report of failing rows; templates and the offers export as Excel files."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partsmall.accounts.models import User
from partsmall.catalog.errors import OFFER_SUPPLIER_ONLY
from partsmall.catalog.import_views import report_filename, xlsx_response
from partsmall.catalog.imports import selectors, services
from partsmall.catalog.imports.kinds import CATALOG, kinds_for, kinds_of_console
from partsmall.catalog.imports.workbooks import XLSX_CONTENT_TYPE
from partsmall.catalog.models import ImportJob
from partsmall.integrations.models import ApiKey
from partsmall.organizations.access import actor_of, api_access
from partsmall.organizations.models import Organization
from partsmall.organizations.roles import Perm

XLSX_RESPONSE = {(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY}


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="row_number", help_text="Excel 行号")
    column = serializers.CharField(help_text="列名")
    message = serializers.CharField(help_text="错误说明")


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text="当前步骤的进度（0–100）")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "file_name",
            "progress",
            "total_rows",
            "processed_rows",
            "valid_rows",
            "error_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "fatal_error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> int:
        return selectors.import_job_percent(job)


class ImportJobDetailSerializer(ImportJobSerializer):
    errors_sample = serializers.SerializerMethodField(help_text="前 50 条错误（行号、列、错误）")
    has_report = serializers.SerializerMethodField(help_text="是否有可下载的错误行报告")

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "errors_sample", "has_report"]
        read_only_fields = fields

    @extend_schema_field(ImportRowErrorSerializer(many=True))
    def get_errors_sample(self, job: ImportJob) -> Any:
        return ImportRowErrorSerializer(selectors.import_job_errors(job=job), many=True).data

    def get_has_report(self, job: ImportJob) -> bool:
        return bool(job.report)


class ImportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices, help_text="导入类型")
    file = serializers.FileField(help_text="按模板填写的 .xlsx 文件")


def _acting(request: Request) -> tuple[Organization, User | None]:
    """The acting organization, and the person the work is recorded under: the user, or
    for an API key the person who created the key (they get the inbox messages)."""
    actor = actor_of(request)
    # access checked the organization
    assert actor.organization is not None
    if isinstance(actor.user, User):
        return actor.organization, actor.user
    if actor.api_key_id is None:
        return actor.organization, None
    key = ApiKey.objects.filter(pk=actor.api_key_id).select_related("created_by").first()
    return actor.organization, key.created_by if key else None


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization")
class ImportsApi(generics.ListAPIView):
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return selectors.import_jobs_of(actor=actor_of(self.request))

    @extend_schema(operation_id="imports_list", tags=["imports"], summary="本组织的导入任务")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="imports_create",
        tags=["imports"],
        summary="上传 Excel 并开始校验",
        description="上传后在后台校验；轮询任务直到状态为 validated（待确认），再调用 apply 导入。"
        "模板不对或文件无法读取时任务为 failed，fatal_error 说明原因。",
        request={"multipart/form-data": ImportCreateSerializer},
        responses={201: ImportJobSerializer},
    )
    def post(self, request: Request) -> Response:
        organization, user = _acting(request)
        data = ImportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_job_create(
            organization=organization,
            by=user,
            kind=data.validated_data["kind"],
            upload=data.validated_data["file"],
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
class ImportApi(APIView):
    @extend_schema(
        operation_id="imports_retrieve",
        tags=["imports"],
        summary="导入任务的状态、进度、计数和错误样例",
        responses=ImportJobDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        job = selectors.import_job_get(actor=actor_of(request), pk=pk)
        return Response(ImportJobDetailSerializer(job).data)


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
class ImportApplyApi(APIView):
    @extend_schema(
        operation_id="imports_apply",
        tags=["imports"],
        summary="确认导入（后台执行）",
        description="只有 validated 状态且有有效行的任务可以导入；导入在后台进行，轮询任务直到 done。",
        request=None,
        responses={202: ImportJobSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        _organization, user = _acting(request)
        job = selectors.import_job_get(actor=actor_of(request), pk=pk)
        job = services.import_job_confirm(job=job, by=user)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
class ImportReportApi(APIView):
    @extend_schema(
        operation_id="imports_report",
        tags=["imports"],
        summary="下载错误行（Excel，末列为错误原因）",
        responses={**XLSX_RESPONSE, 404: None},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        job = selectors.import_job_get(actor=actor_of(request), pk=pk)
        if not job.report:
            raise Http404
        with job.report.open("rb") as report:
            return xlsx_response(report.read(), report_filename(job))


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization")
class ImportTemplateApi(APIView):
    @extend_schema(
        operation_id="imports_template",
        tags=["imports"],
        summary="下载导入模板（Excel）",
        parameters=[
            OpenApiParameter(
                "kind", str, OpenApiParameter.PATH, enum=kinds_of_console(CATALOG), description="导入类型"
            )
        ],
        responses={**XLSX_RESPONSE, 404: None},
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        organization, _user = _acting(request)
        kinds = {k.kind: k for k in kinds_for(organization)}
        if kind not in kinds:
            raise Http404
        return xlsx_response(services.template_workbook(kind), f"{kinds[kind].title}导入模板.xlsx")


@api_access(permission=Perm.CATALOG_MANAGE, scope="organization")
class OffersExportApi(APIView):
    @extend_schema(
        operation_id="offers_export",
        tags=["imports"],
        summary="导出本供应商的报价（Excel，列与报价单模板相同，可改后重新导入）",
        responses=XLSX_RESPONSE,
    )
    def get(self, request: Request) -> HttpResponse:
        organization, _user = _acting(request)
        if organization.kind != Organization.Kind.SUPPLIER:
            raise PermissionDenied(OFFER_SUPPLIER_ONLY)
        return xlsx_response(services.export_offers_workbook(supplier=organization), "报价单.xlsx")
