from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from cases.models import Case, Consultation, OrientationStatus
from integrapsy import access, ratelimits
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.params import query_without
from integrapsy.reports import exports, selectors, services
from integrapsy.reports.apps import FACTS_EVERY_MINUTES
from integrapsy.reports.forms import ExportForm, PeriodForm
from integrapsy.reports.indicators import indicators as indicators_of
from integrapsy.reports.lists import LISTS, ROW_CAPABILITY, clean_filters
from integrapsy.reports.models import ReportJob
from integrapsy.reports.periods import Period

ROWS_PER_PAGE = 50


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


class _ListUrls:
    """The addresses of the report lists for one team and period.

    The dashboard links some fifty figures to these lists: each list's path is reversed once a
    page and the team and period encoded once (reversing each link was a tenth of the page).
    """

    def __init__(self, base: dict):
        self.base = base
        self._query = urlencode(base)
        self._paths: dict[str, str] = {}

    def __call__(self, what: str, **params) -> str:
        path = self._paths.get(what)
        if path is None:
            path = self._paths[what] = reverse("reports:list", kwargs={"what": what})
        extra = {k: v for k, v in params.items() if v not in (None, "")}
        if not extra:
            return f"{path}?{self._query}"
        if extra.keys() & self.base.keys():
            return f"{path}?{urlencode({**self.base, **extra})}"
        return f"{path}?{self._query}&{urlencode(extra)}"


def _links(user, team, period: Period) -> dict:
    """Where each figure leads: an existing list page when the user may open it, else a report list."""
    base = {"team": str(team.code), **period.as_query()}
    list_url = _ListUrls(base)
    may_cases = access.can(user, Capability.VIEW_CASES)
    may_inbox = access.can(user, Capability.VIEW_TEAM_REFERRALS)
    return {
        "referrals": list_url("referrals"),
        "contacted": list_url("referrals", contacted="1"),
        "urgent": _url("cases:inbox") if may_inbox else None,
        "case_status": (
            {s: _url("cases:list", status=s, team=team.pk) for s in selectors.FOLLOW_UP_STATUSES}
            if may_cases
            else {s: list_url("cases", status=s) for s in selectors.FOLLOW_UP_STATUSES}
        ),
        "cases": list_url("cases"),
        "risk": list_url("cases", risk="open"),
        "slot_bookings": list_url("permanence-bookings"),
        "no_show": list_url("permanence-bookings", status="no_show"),
        "consultations": list_url("consultations"),
        "interpreting": list_url("interpreting", status="completed"),
        "late": list_url("interpreting", late="1"),
        "contacts": list_url("ambassador-contacts"),
        "orientations": list_url("orientations"),
        "orientation_todo": _url("cases:orientation_todo")
        if access.can(user, Capability.FOLLOW_UP_ORIENTATIONS)
        else None,
        "activities": _url("cases:activity_list") if access.can(user, Capability.VIEW_ACTIVITIES) else None,
        "list_url": list_url,
    }


def _period_form(request: HttpRequest, *, default: Period, team_required=True, form_class=PeriodForm):
    teams = selectors.report_teams(user=request.user)
    asked = request.GET.get("team")
    if asked and asked not in {str(t.code) for t in teams}:
        raise Http404  # another team's figures: not found, as any row outside the user's scope
    return form_class(request.GET, teams=teams, default=default, team_required=team_required), teams


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_DASHBOARD)
    form, teams = _period_form(request, default=Period.last_days())
    ctx = {"form": form, "teams": teams, "facts_every": FACTS_EVERY_MINUTES}
    if form.is_valid() and form.cleaned_data["team"] is not None:
        team, period = form.cleaned_data["team"], form.period
        data = selectors.dashboard(user=request.user, team=team, period=period)
        links = _links(request.user, team, period)
        ctx.update(team=team, period=period, data=data, links=links, **_charts(data, links))
    status = 200 if form.is_valid() or not teams else 400
    return render(request, "reports/dashboard.html", ctx, status=status)


def _charts(data: dict, links: dict) -> dict:
    """Rows for the figure tables and the charts (same numbers, with the list each one opens)."""
    list_url = links["list_url"]
    by_org = [
        {
            "label": r["organisation__name"],
            "n": r["n"],
            "url": list_url("referrals", organisation=r["organisation__code"]),
        }
        for r in data["referrals"]["by_organisation"]
    ]
    kinds = [
        {
            "label": str(label),
            "n": data["consultations"]["by_kind"].get(value, 0),
            "url": list_url("consultations", kind=value),
        }
        for value, label in Consultation.Kind.choices
    ]
    languages = [
        {
            "label": r["label"],
            "n": round(r["minutes"] / 60, 1),
            "bookings": r["n"],
            "url": list_url("interpreting", status="completed", language=r["pk"]),
        }
        for r in data["interpreting"]["by_language"]
    ]
    outcomes = [
        {
            "label": str(label),
            "n": data["orientations"]["by_status"].get(value, 0),
            "url": list_url("orientations", status=value),
        }
        for value, label in OrientationStatus.choices
    ]
    statuses = [
        {
            "label": str(Case.Status(value).label),
            "n": data["cases"]["by_status"].get(value, 0),
            "url": links["case_status"][value],
        }
        for value in selectors.FOLLOW_UP_STATUSES
    ]

    def chart(rows, kind="bar"):
        return {"type": kind, "labels": [r["label"] for r in rows], "values": [r["n"] for r in rows]}

    return {
        "rows": {
            "organisations": by_org,
            "kinds": kinds,
            "languages": languages,
            "outcomes": outcomes,
            "statuses": statuses,
        },
        "charts": {
            "organisations": chart(by_org),
            "kinds": chart(kinds),
            "languages": chart(languages),
            "outcomes": chart(outcomes),
        },
    }


@require_GET
def report_list(request: HttpRequest, what: str) -> HttpResponse:
    access.require(request.user, Capability.VIEW_DASHBOARD)
    spec = LISTS.get(what)
    if spec is None:
        raise Http404
    form, teams = _period_form(request, default=Period.last_days())
    if not form.is_valid() or form.cleaned_data["team"] is None:
        # Only reached through the dashboard's links: a team outside the user's is not found.
        raise Http404
    team, period = form.cleaned_data["team"], form.period
    filters = clean_filters(spec, request.GET)
    page = Paginator(spec.rows(team, period, filters), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    may_open = access.can(request.user, ROW_CAPABILITY[what])
    rows = [
        {
            "link": spec.link(obj) if (spec.link and may_open) else None,
            "cells": [{"value": c.value(obj), "secondary": c.secondary} for c in spec.columns],
        }
        for obj in page.object_list
    ]
    filter_labels = [str(spec.filters[k][v]) for k, v in filters.items() if spec.filters and k in spec.filters]
    return render(
        request,
        "reports/list.html",
        {
            "spec": spec,
            "what": what,
            "team": team,
            "period": period,
            "page": page,
            "rows": rows,
            "filter_labels": filter_labels,
            "query": query_without(request, "page"),
            "dashboard_url": _url("reports:dashboard", team=str(team.code), **period.as_query()),
        },
    )


@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_INDICATORS)
    form, teams = _period_form(request, default=Period.year_to_date(), team_required=False)
    ctx = {"form": form, "facts_every": FACTS_EVERY_MINUTES}
    if form.is_valid():
        team = form.cleaned_data["team"]
        if selectors.indicators_in_background(team=team, teams=teams):
            # Several teams: the figures are prepared by a task, as a file (see indicators_export).
            ctx["background"] = True
            ctx["jobs"] = selectors.recent_report_jobs(user=request.user, kind=ReportJob.Kind.INDICATORS)
        else:
            ctx["data"] = indicators_of(user=request.user, period=form.period, team=team)
        ctx["export_query"] = urlencode(
            {k: v for k, v in {"team": request.GET.get("team", ""), **form.period.as_query()}.items() if v}
        )
    return render(request, "reports/indicators.html", ctx, status=200 if form.is_valid() else 400)


def _start_job(request: HttpRequest, **kwargs) -> HttpResponse:
    job = services.report_job_start(
        user=request.user, language=get_language() or "", site_url=request.build_absolute_uri("/"), **kwargs
    )
    # The page of the file being prepared, at the download's address (its own address is on it).
    return render(request, "reports/job.html", _job_context(job))


def _download(header, rows, *, fmt: str, title: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        handle = exports.xlsx_file(header, rows, title=title)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)
    response = StreamingHttpResponse(exports.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filters_detail(form, **extra) -> str:
    team = form.cleaned_data.get("team")
    parts = {
        "team": team.name if team else "all",
        "from": form.period.start.isoformat(),
        "to": form.period.end.isoformat(),
        **extra,
    }
    return "; ".join(f"{k}={v}" for k, v in parts.items())


@require_GET
def indicators_export(request: HttpRequest, fmt: str) -> HttpResponse:
    access.require(request.user, Capability.VIEW_INDICATORS)
    if fmt not in exports.FORMATS:
        raise Http404
    form, teams = _period_form(request, default=Period.year_to_date(), team_required=False)
    if not form.is_valid():
        return render(request, "reports/indicators.html", {"form": form}, status=400)
    team = form.cleaned_data["team"]
    if selectors.indicators_in_background(team=team, teams=teams):
        params = services.report_job_params(team=team, period=form.period)
        return _start_job(request, kind=ReportJob.Kind.INDICATORS, fmt=fmt, params=params)
    data = indicators_of(user=request.user, period=form.period, team=team)
    rows = sum(len(s.rows) for s in data.sections)
    audit_record(
        action="export.indicators",
        request=request,
        object_type="indicators",
        detail=f"format={fmt}; {_filters_detail(form)}; rows={rows}",
    )
    header, body = exports.indicator_rows(data)
    filename = exports.filename(str(exports.INDICATORS_STEM), form.period, fmt)
    return _download(header, body, fmt=fmt, title=str(exports.INDICATORS_SHEET), filename=filename)


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.EXPORT_LISTS)
    form, teams = _period_form(request, default=Period.year_to_date(), team_required=False, form_class=ExportForm)
    jobs = [
        {"job": job, "title": _job_title(job)}
        for job in selectors.recent_report_jobs(user=request.user, kind=ReportJob.Kind.LIST)
    ]
    ctx = {"form": form, "exports": exports.EXPORTS, "jobs": jobs, "max_rows": settings.REPORT_INLINE_MAX_ROWS}
    return render(request, "reports/exports.html", ctx)


@require_GET
def export_list(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    access.require(request.user, Capability.EXPORT_LISTS)
    spec = exports.EXPORTS.get(what)
    if spec is None or fmt not in exports.FORMATS:
        raise Http404
    form, teams = _period_form(request, default=Period.year_to_date(), team_required=False, form_class=ExportForm)
    if not form.is_valid():
        return render(request, "reports/exports.html", {"form": form, "exports": exports.EXPORTS}, status=400)
    try:
        ratelimits.consume(user=request.user, action="export")
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "reports/exports.html", {"form": form, "exports": exports.EXPORTS}, status=429)
    deidentified = form.cleaned_data["deidentified"]
    qs = spec.rows(request.user, form.cleaned_data["team"], form.period)
    count = qs.count()
    if selectors.export_in_background(count):
        params = services.report_job_params(
            team=form.cleaned_data["team"], period=form.period, deidentified=deidentified
        )
        return _start_job(request, kind=ReportJob.Kind.LIST, what=what, fmt=fmt, params=params)
    audit_record(
        action=f"export.{what}",
        request=request,
        object_type=what,
        detail=f"format={fmt}; {_filters_detail(form, deidentified='yes' if deidentified else 'no')}; rows={count}",
    )
    header, rows = exports.list_rows(spec, qs, deidentified=deidentified)
    stem = f"{what}-pseudonymised" if deidentified else what
    return _download(header, rows, fmt=fmt, title=str(spec.title), filename=exports.filename(stem, form.period, fmt))


@require_GET
def job_page(request: HttpRequest, code) -> HttpResponse:
    """A file being prepared: its progress (the page asks again every few seconds), then its link."""
    job = selectors.report_job_of(user=request.user, code=code)
    template = "reports/_job_status.html" if request.headers.get("HX-Request") else "reports/job.html"
    return render(request, template, _job_context(job))


def _job_context(job: ReportJob) -> dict:
    return {"job": job, "title": _job_title(job), "file_hours": settings.REPORT_FILE_HOURS}


def _job_title(job: ReportJob) -> str:
    if job.kind == ReportJob.Kind.INDICATORS:
        return gettext("Funder indicators")
    spec = exports.EXPORTS.get(job.what)
    return str(spec.title) if spec else job.what


@require_GET
def job_download(request: HttpRequest, code) -> HttpResponse:
    job = selectors.report_job_of(user=request.user, code=code)
    if not job.ready:
        raise Http404
    handle = job.file.open("rb")
    services.report_job_downloaded(job=job, request=request)
    content_type = exports.XLSX_CONTENT_TYPE if job.fmt == "xlsx" else "text/csv; charset=utf-8"
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=content_type)
