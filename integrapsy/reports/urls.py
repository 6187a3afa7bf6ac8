from django.urls import path

from integrapsy.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("lists/<slug:what>/", views.report_list, name="list"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators.<str:fmt>", views.indicators_export, name="indicators_export"),
    path("exports/", views.export_page, name="exports"),
    path("exports/<slug:what>.<str:fmt>", views.export_list, name="export"),
    path("files/<uuid:code>/", views.job_page, name="job"),
    path("files/<uuid:code>/download", views.job_download, name="job_download"),
]
