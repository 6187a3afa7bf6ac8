"""The reports' tasks: one file prepared in the background, and the sweep that expires them."""

from django_tasks import task

from integrapsy.reports import services


@task()
def run_report_job(job_id: int) -> str:
    return services.report_job_run(job_id)


@task()
def sweep_report_jobs() -> dict:
    """Files past their day deleted, lost jobs asked again or marked failed."""
    return services.report_jobs_sweep()


@task()
def refresh_facts() -> int:
    """The dashboard's and the indicators' lines written again (``services.facts_refresh``)."""
    return services.facts_refresh().rows
