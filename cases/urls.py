from django.urls import path

from cases.views import activities as activity_views
from cases.views import cases as case_views
from cases.views import directory as directory_views
from cases.views import orientations as orientation_views
from cases.views import referrals as referral_views
from cases.views import screenings as screening_views

app_name = "cases"

urlpatterns = [
    path("cases/", case_views.case_list, name="list"),
    path("cases/<str:reference>/", case_views.case_detail, name="detail"),
    path("cases/<str:reference>/note/", case_views.case_note_add, name="note_add"),
    path("cases/<str:reference>/edit/", case_views.case_update, name="update"),
    path("cases/<str:reference>/close/", case_views.case_close, name="close"),
    path("cases/<str:reference>/share/", case_views.case_share, name="share"),
    path("persons/<uuid:code>/", case_views.person_detail, name="person_detail"),
    path("persons/<uuid:code>/edit/", case_views.person_edit, name="person_edit"),
    path("persons/<uuid:code>/consent/", case_views.consent_add, name="consent_add"),
    path("persons/<uuid:code>/merge/", case_views.person_merge, name="person_merge"),
    path("referrals/new/", referral_views.referral_new, name="referral_new"),
    path("referrals/mine/", referral_views.referral_mine, name="referral_mine"),
    path("referrals/mine/<uuid:code>/", referral_views.referral_status, name="referral_status"),
    path("referrals/mine/<uuid:code>/answer/", referral_views.referral_answer, name="referral_answer"),
    path("referrals/inbox/", referral_views.inbox, name="inbox"),
    path("referrals/<uuid:code>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:code>/accept/", referral_views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:code>/decline/", referral_views.referral_decline, name="referral_decline"),
    path("referrals/<uuid:code>/ask/", referral_views.referral_ask, name="referral_ask"),
    path("referrals/<uuid:code>/take/", referral_views.referral_take, name="referral_take"),
    path(
        "referrals/<uuid:code>/first-contact/",
        referral_views.referral_first_contact,
        name="referral_first_contact",
    ),
    # Screening questionnaires (clinical)
    path("cases/<str:reference>/screenings/", screening_views.screening_list, name="screening_list"),
    path(
        "cases/<str:reference>/screenings/new/<slug:instrument>/",
        screening_views.screening_new,
        name="screening_new",
    ),
    path(
        "cases/<str:reference>/screenings/<uuid:code>/",
        screening_views.screening_detail,
        name="screening_detail",
    ),
    path(
        "cases/<str:reference>/screenings/<uuid:code>/edit/",
        screening_views.screening_edit,
        name="screening_edit",
    ),
    # Orientations to specialised resources, and the directory of resources
    path("cases/<str:reference>/orient/", orientation_views.orientation_new, name="orientation_new"),
    path("orientations/to-follow-up/", orientation_views.orientation_todo, name="orientation_todo"),
    path("orientations/<uuid:code>/", orientation_views.orientation_detail, name="orientation_detail"),
    path(
        "orientations/<uuid:code>/outcome/",
        orientation_views.orientation_outcome,
        name="orientation_outcome",
    ),
    path("directory/", directory_views.resource_list, name="resource_list"),
    path("directory/new/", directory_views.resource_new, name="resource_new"),
    path("directory/<uuid:code>/edit/", directory_views.resource_edit, name="resource_edit"),
    # Collective therapeutic activities
    path("activities/", activity_views.activity_list, name="activity_list"),
    path("activities/new/", activity_views.activity_new, name="activity_new"),
    path("activities/<uuid:code>/", activity_views.activity_detail, name="activity_detail"),
    path("activities/<uuid:code>/enrol/", activity_views.activity_enrol, name="activity_enrol"),
    path("activities/<uuid:code>/sessions/new/", activity_views.session_add, name="activity_session_add"),
    path(
        "activities/enrolments/<uuid:code>/withdraw/",
        activity_views.enrolment_withdraw,
        name="activity_withdraw",
    ),
    path(
        "activities/sessions/<uuid:code>/attendance/",
        activity_views.session_attendance,
        name="activity_attendance",
    ),
]
