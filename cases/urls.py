from django.urls import path

from cases.activities import views as activity_views
from cases.case_file import views as case_views
from cases.consultations import views as consultation_views
from cases.gdpr import views as gdpr_views
from cases.orientations import directory_views as orientation_directory_views
from cases.orientations import views as orientation_views
from cases.panels import CARE, FILE, PLANNING
from cases.permanences import views as permanence_views
from cases.persons import views as person_views
from cases.referrals import views as referral_views
from cases.risk import views as risk_views
from cases.screenings import views as screening_views

app_name = "cases"

urlpatterns = [
    path("cases/", case_views.case_list, name="list"),
    path("cases/<str:reference>/", case_views.case_detail, name="detail"),
    path("cases/<str:reference>/care/", case_views.case_detail, {"section": CARE}, name="detail_care"),
    path("cases/<str:reference>/planning/", case_views.case_detail, {"section": PLANNING}, name="detail_planning"),
    path("cases/<str:reference>/file/", case_views.case_detail, {"section": FILE}, name="detail_file"),
    path("cases/<str:reference>/note/", case_views.case_note_add, name="note_add"),
    path("cases/<str:reference>/edit/", case_views.case_update, name="update"),
    path("cases/<str:reference>/close/", case_views.case_close, name="close"),
    path("cases/<str:reference>/share/", case_views.case_share, name="share"),
    path("persons/new/", person_views.person_new, name="person_new"),
    path("persons/<uuid:code>/", person_views.person_detail, name="person_detail"),
    path("persons/<uuid:code>/edit/", person_views.person_edit, name="person_edit"),
    path("persons/<uuid:code>/consent/", person_views.consent_add, name="consent_add"),
    path("persons/<uuid:code>/access-log/", person_views.person_access_log, name="person_access_log"),
    path("persons/<uuid:code>/merge/", person_views.person_merge, name="person_merge"),
    path("gdpr/persons/", gdpr_views.gdpr_persons, name="gdpr_persons"),
    path("gdpr/persons/<uuid:code>/", gdpr_views.gdpr_subject_access, name="gdpr_subject_access"),
    path("gdpr/persons/<uuid:code>/export.json", gdpr_views.gdpr_subject_access_json, name="gdpr_subject_access_json"),
    path("gdpr/persons/<uuid:code>/anonymise/", gdpr_views.gdpr_anonymise, name="gdpr_anonymise"),
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
    # Permanences and slots
    path("permanences/", permanence_views.permanence_week, name="permanence_week"),
    path("permanences/new/", permanence_views.permanence_new, name="permanence_new"),
    path("permanences/<uuid:code>/", permanence_views.permanence_detail, name="permanence_detail"),
    path("permanences/<uuid:code>/sheet/", permanence_views.permanence_sheet, name="permanence_sheet"),
    path("permanences/<uuid:code>/cancel/", permanence_views.permanence_cancel, name="permanence_cancel"),
    path("permanences/<uuid:code>/walk-in/", permanence_views.permanence_walk_in, name="permanence_walk_in"),
    path("slots/<uuid:code>/book/", permanence_views.slot_book, name="slot_book"),
    path("bookings/<uuid:code>/attendance/", permanence_views.booking_attendance, name="booking_attendance"),
    path("cases/<str:reference>/book/", permanence_views.case_book, name="case_book"),
    # Slots asked for by referrers, answered by the team's coordinators
    path(
        "referrals/mine/<uuid:code>/slot/",
        permanence_views.referral_slot_request,
        name="referral_status_slot",
    ),
    path("permanences/requests/", permanence_views.slot_request_list, name="permanence_requests"),
    path(
        "permanences/requests/<uuid:code>/confirm/",
        permanence_views.slot_request_confirm,
        name="permanence_request_confirm",
    ),
    path(
        "permanences/requests/<uuid:code>/decline/",
        permanence_views.slot_request_decline,
        name="permanence_request_decline",
    ),
    # Consultations and risk (clinicians of the case's team only)
    path(
        "cases/<str:reference>/consultations/",
        consultation_views.consultation_list,
        name="consultation_list",
    ),
    path(
        "cases/<str:reference>/consultations/new/",
        consultation_views.consultation_new,
        name="consultation_new",
    ),
    path("consultations/<uuid:code>/", consultation_views.consultation_detail, name="consultation_detail"),
    path("consultations/<uuid:code>/edit/", consultation_views.consultation_edit, name="consultation_edit"),
    path("consultations/<uuid:code>/sign/", consultation_views.consultation_sign, name="consultation_sign"),
    path(
        "consultations/<uuid:code>/addendum/",
        consultation_views.consultation_addendum,
        name="consultation_addendum",
    ),
    path("cases/<str:reference>/risk/assess/", risk_views.risk_assess, name="risk_assess"),
    path(
        "risk-assessments/<uuid:code>/",
        risk_views.risk_assessment_detail,
        name="risk_assessment_detail",
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
    path("directory/", orientation_directory_views.resource_list, name="resource_list"),
    path("directory/new/", orientation_directory_views.resource_new, name="resource_new"),
    path("directory/<uuid:code>/edit/", orientation_directory_views.resource_edit, name="resource_edit"),
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
