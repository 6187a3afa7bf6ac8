from django.urls import path

from ambassadors import views

app_name = "ambassadors"

urlpatterns = [
    # Colleagues: the team's ambassadors, assignments on cases, training, planner.
    path("ambassadors/", views.ambassador_list, name="ambassador_list"),
    path("ambassadors/new/", views.ambassador_new, name="ambassador_new"),
    path("ambassadors/<uuid:code>/", views.ambassador_detail, name="ambassador_detail"),
    path("ambassadors/<uuid:code>/edit/", views.ambassador_edit, name="ambassador_edit"),
    path("ambassadors/<uuid:code>/training/", views.ambassador_training, name="ambassador_training"),
    path("cases/<str:reference>/ambassadors/", views.case_assign, name="case_assign"),
    path("assignments/<uuid:code>/end/", views.assignment_end, name="assignment_end"),
    path("training/", views.training, name="training"),
    path("training/sessions/new/", views.training_session_new, name="training_session_new"),
    path("training/sessions/<uuid:code>/", views.training_session, name="training_session"),
    path("language-support/", views.planner, name="planner"),
    path("language-support/rules/", views.planner_rules, name="planner_rules"),
    # The ambassador's own pages: their assignments only, through a reduced view of the case.
    path("my-assignments/", views.mine, name="mine"),
    path("my-assignments/<uuid:code>/", views.mine_detail, name="mine_detail"),
    path("my-assignments/<uuid:code>/accept/", views.mine_accept, name="mine_accept"),
    path("my-assignments/<uuid:code>/decline/", views.mine_decline, name="mine_decline"),
    path("my-assignments/<uuid:code>/contact/", views.mine_contact, name="mine_contact"),
    path("my-training/", views.my_training, name="my_training"),
]
