from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark, load and fault tooling (``manage.py benchmark``)."""

    name = "integrapsy.bench"
    label = "bench"
    verbose_name = "Benchmark"
