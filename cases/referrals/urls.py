"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.referrals import views

urlpatterns = [
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/mine/", views.referral_mine, name="referral_mine"),
    path("referrals/mine/<uuid:code>/", views.referral_status, name="referral_status"),
    path("referrals/mine/<uuid:code>/answer/", views.referral_answer, name="referral_answer"),
    path("referrals/inbox/", views.inbox, name="inbox"),
    path("referrals/<uuid:code>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:code>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:code>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<uuid:code>/ask/", views.referral_ask, name="referral_ask"),
    path("referrals/<uuid:code>/take/", views.referral_take, name="referral_take"),
    path(
        "referrals/<uuid:code>/first-contact/",
        views.referral_first_contact,
        name="referral_first_contact",
    ),
]
