"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.case_file import views
from cases.panels import CARE, FILE, PLANNING

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/<str:reference>/", views.case_detail, name="detail"),
    path("cases/<str:reference>/care/", views.case_detail, {"section": CARE}, name="detail_care"),
    path("cases/<str:reference>/planning/", views.case_detail, {"section": PLANNING}, name="detail_planning"),
    path("cases/<str:reference>/file/", views.case_detail, {"section": FILE}, name="detail_file"),
    path("cases/<str:reference>/note/", views.case_note_add, name="note_add"),
    path("cases/<str:reference>/edit/", views.case_update, name="update"),
    path("cases/<str:reference>/close/", views.case_close, name="close"),
    path("cases/<str:reference>/share/", views.case_share, name="share"),
]
