"""Import pages: the supplier's 商品 › 导入 and the operator console's 数据 › 导入.

Both consoles share the same pages; each view is declared twice (organization scope with
CATALOG_MANAGE, platform scope with PLATFORM_OPERATE) and renders with its own routes.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from partsmall.accounts.models import User
from partsmall.catalog.imports import selectors, services
from partsmall.catalog.imports.forms import ImportUploadForm
from partsmall.catalog.imports.kinds import KINDS, kinds_for
from partsmall.catalog.imports.workbooks import XLSX_CONTENT_TYPE
from partsmall.catalog.models import ImportJob
from partsmall.core.errors import ApplicationError
from partsmall.organizations.access import actor_of, page
from partsmall.organizations.actor import Actor
from partsmall.organizations.roles import Perm

UPLOADED = _("已上传「%(file)s」，正在校验，完成后会通过站内信通知您。")
CONFIRMED = _("已开始导入 %(rows)s 行有效数据，可以离开本页，完成后会通过站内信通知您。")
CANCELLED = _("已取消导入「%(file)s」，没有导入任何数据。")
PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class Console:
    """Where the pages live: route names and breadcrumb of one console."""

    prefix: str
    section: str | Promise

    def route(self, name: str) -> str:
        return f"catalog_imports:{self.prefix}{name}"

    @property
    def routes(self) -> dict[str, str]:
        names = ("index", "upload", "detail", "progress", "confirm", "cancel", "report", "template")
        return {name: self.route(name) for name in names}


SUPPLIER = Console(prefix="", section=_("商品"))
PLATFORM = Console(prefix="platform_", section=_("数据"))


def _acting(request: HttpRequest) -> tuple[Actor, User]:
    actor = actor_of(request)
    # @page checked both
    assert isinstance(actor.user, User)
    assert actor.organization is not None
    return actor, actor.user


def _context(console: Console, **extra: object) -> dict[str, object]:
    return {"routes": console.routes, "section": console.section, "is_platform": console is PLATFORM, **extra}


def _per_page(request: HttpRequest) -> int:
    value = request.GET.get("per_page", "")
    return int(value) if value.isdigit() and int(value) in PAGE_SIZES else PAGE_SIZES[0]


def _index(request: HttpRequest, console: Console) -> HttpResponse:
    actor, _user = _acting(request)
    assert actor.organization is not None
    jobs = selectors.import_jobs_of(actor=actor)
    page_obj = Paginator(jobs, _per_page(request)).get_page(request.GET.get("page"))
    for job in page_obj.object_list:
        job.tag = selectors.STATUS_TAGS[ImportJob.Status(job.status)]
    kinds = kinds_for(actor.organization)
    return render(request, "catalog/imports/index.html", _context(console, page_obj=page_obj, kinds=kinds))


def _upload(request: HttpRequest, console: Console) -> HttpResponse:
    actor, user = _acting(request)
    assert actor.organization is not None
    kinds = kinds_for(actor.organization)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, kinds=kinds, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                organization=actor.organization,
                by=user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, UPLOADED % {"file": job.file_name})
            return redirect(console.route("detail"), job.pk)
    return render(request, "catalog/imports/upload.html", _context(console, form=form, kinds=kinds))


def _job_context(job: ImportJob) -> dict[str, object]:
    shows_rows = job.status in {ImportJob.Status.VALIDATED, ImportJob.Status.APPLYING, ImportJob.Status.DONE}
    return {
        "job": job,
        "kind": KINDS[job.kind],
        "tag": selectors.STATUS_TAGS[ImportJob.Status(job.status)],
        "percent": selectors.import_job_percent(job),
        "running": selectors.import_job_is_running(job),
        "errors": selectors.import_job_errors(job=job) if shows_rows else [],
        "preview": selectors.import_job_preview(job=job) if job.status == ImportJob.Status.VALIDATED else [],
    }


def _detail(request: HttpRequest, pk: int, console: Console) -> HttpResponse:
    actor, _user = _acting(request)
    job = selectors.import_job_get(actor=actor, pk=pk)
    return render(request, "catalog/imports/detail.html", _context(console, **_job_context(job)))


def _progress(request: HttpRequest, pk: int, console: Console) -> HttpResponse:
    """The progress card, polled by htmx every second while the job runs."""
    actor, _user = _acting(request)
    job = selectors.import_job_get(actor=actor, pk=pk)
    context = _job_context(job)
    response = render(request, "catalog/imports/_progress.html", _context(console, **context))
    if not context["running"]:
        # The step finished: reload the whole page to show the preview or the result.
        response["HX-Refresh"] = "true"
    return response


def _confirm(request: HttpRequest, pk: int, console: Console) -> HttpResponse:
    actor, user = _acting(request)
    job = selectors.import_job_get(actor=actor, pk=pk)
    try:
        job = services.import_job_confirm(job=job, by=user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, CONFIRMED % {"rows": job.valid_rows})
    return redirect(console.route("detail"), job.pk)


def _cancel(request: HttpRequest, pk: int, console: Console) -> HttpResponse:
    actor, user = _acting(request)
    job = selectors.import_job_get(actor=actor, pk=pk)
    try:
        job = services.import_job_cancel(job=job, by=user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, CANCELLED % {"file": job.file_name})
    return redirect(console.route("detail"), job.pk)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def report_filename(job: ImportJob) -> str:
    stem = job.file_name.rsplit(".", 1)[0] or f"import-{job.pk}"
    return f"{stem}-错误行.xlsx"


def _report(request: HttpRequest, pk: int, console: Console) -> HttpResponse:
    actor, _user = _acting(request)
    job = selectors.import_job_get(actor=actor, pk=pk)
    if not job.report:
        raise Http404
    with job.report.open("rb") as report:
        return xlsx_response(report.read(), report_filename(job))


def _template(request: HttpRequest, console: Console) -> HttpResponse:
    actor, _user = _acting(request)
    assert actor.organization is not None
    kinds = {k.kind: k for k in kinds_for(actor.organization)}
    kind = kinds.get(request.GET.get("kind", ""))
    if kind is None:
        raise Http404
    return xlsx_response(services.template_workbook(kind.kind), f"{kind.title}导入模板.xlsx")


# Supplier workspace: 商品 › 导入 ----------------------------------------------------------


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, SUPPLIER)


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
def upload(request: HttpRequest) -> HttpResponse:
    return _upload(request, SUPPLIER)


@page(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, SUPPLIER)


@never_cache
@page(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(request, pk, SUPPLIER)


@page(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, SUPPLIER)


@page(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, pk, SUPPLIER)


@page(permission=Perm.CATALOG_MANAGE, scope="organization", selector="import_job_get")
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, pk, SUPPLIER)


@page(permission=Perm.CATALOG_MANAGE, scope="organization")
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    return _template(request, SUPPLIER)


# Operator console: 数据 › 导入 ------------------------------------------------------------


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def platform_index(request: HttpRequest) -> HttpResponse:
    return _index(request, PLATFORM)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
def platform_upload(request: HttpRequest) -> HttpResponse:
    return _upload(request, PLATFORM)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="import_job_get")
@require_GET
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, PLATFORM)


@never_cache
@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="import_job_get")
@require_GET
def platform_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(request, pk, PLATFORM)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="import_job_get")
@require_POST
def platform_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, PLATFORM)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="import_job_get")
@require_POST
def platform_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, pk, PLATFORM)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform", selector="import_job_get")
@require_GET
def platform_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, pk, PLATFORM)


@page(permission=Perm.PLATFORM_OPERATE, scope="platform")
@require_GET
def platform_template(request: HttpRequest) -> HttpResponse:
    return _template(request, PLATFORM)
