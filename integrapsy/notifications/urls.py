from django.urls import path

from integrapsy.notifications import views

app_name = "notifications"

urlpatterns = [
    path("undelivered/", views.undelivered_list, name="undelivered"),
    path("undelivered/<uuid:code>/retry/", views.undelivered_retry, name="retry"),
]
