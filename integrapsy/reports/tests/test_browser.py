"""The coordinator opens the dashboard, downloads the funder indicators; the administrator
finds that export in the audit log."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.reports.tests.factories import populate
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, logout, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_indicators_export_and_its_audit(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    make_user_with_role(Role.ADMIN, username="admin", first_name="Alex")
    populate(team, 6)

    # On a phone: the dashboard through the menu.
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "coordinator")
    open_menu(page)
    page.locator("#main-nav a[href='/reports/']").click()
    expect(page.locator("#key-figures")).to_be_visible()
    expect(page.locator("[data-figure=referrals] a")).to_have_text("6")
    expect(page.locator("canvas#chart-kinds")).to_be_visible()
    # The figures say when they were counted (in French, the default language).
    expect(page.locator("#figures-as-of")).to_contain_text("Chiffres arrêtés au")
    assert_accessible(page)

    # A figure opens the list behind it.
    page.locator("[data-figure=cases] a").click()
    expect(page.locator("#report-list tbody tr")).to_have_count(6)
    assert_accessible(page)
    page.go_back()

    # On a desktop: the funder indicators, downloaded as a spreadsheet.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#to-indicators").click()
    expect(page.locator("[data-section=participants] [data-row=total] td")).to_have_text("6")
    assert_accessible(page)
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:  # the saved download has no extension
        sheet = load_workbook(handle, read_only=True).active
        values = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert 6 in values and "<5" in values
    assert not any(isinstance(v, int) and 0 < v < 5 for v in values)
    logout(page)

    # The administrator searches the audit log and finds that export.
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/audit/")
    page.locator("#id_action").fill("export")
    page.locator("main form[role=search] button[type=submit]").click()
    row = page.locator("main tbody tr", has_text="export.indicators")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("coordinator")
    assert_accessible(page)


def test_a_long_export_shows_its_progress_then_its_download(page: Page, live_server, settings):
    from integrapsy.notifications.tests.test_faults import DB_TASKS
    from integrapsy.reports import services
    from integrapsy.reports.models import ReportJob

    settings.TASKS = DB_TASKS  # the request queues the task; the test plays the worker
    settings.REPORT_INLINE_MAX_ROWS = 3
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    populate(team, 6)
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    page.set_viewport_size(PHONE)
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/reports/exports/")
    page.locator("#export-cases-csv").click()
    expect(page.locator("#job-status")).to_have_attribute("data-status", "pending")
    expect(page.locator("progress#job-progress")).to_have_attribute("value", "0")
    assert_accessible(page)

    # The worker runs it; the page, asking every two seconds, shows the link without a reload.
    job = ReportJob.objects.get()
    assert services.report_job_run(job.pk) == ReportJob.Status.DONE
    expect(page.locator("#job-download")).to_be_visible(timeout=10_000)
    assert_accessible(page)
    with page.expect_download() as info:
        page.locator("#job-download").click()
    assert info.value.suggested_filename.endswith(".csv")
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        assert len(handle.read().strip().splitlines()) == 7  # the header and the six cases
    assert not csp_errors
