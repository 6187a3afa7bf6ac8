from django.urls import path

from integrapsy.offline import views

app_name = "offline"

urlpatterns = [
    path("offline/", views.offline_page, name="page"),
]
