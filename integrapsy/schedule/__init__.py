"""Scheduled jobs: what runs daily or every few minutes, enqueued as tasks by ``run_schedule``.

The apps register their jobs (``register_job``) from ``AppConfig.ready()``. Each run of a
job is recorded once per period (a day, a five-minute slot): a second schedule loop, or the
same loop started twice, enqueues nothing more.
"""
