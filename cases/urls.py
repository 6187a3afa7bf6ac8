"""The cases app's pages: each feature's own, joined under the ``cases`` namespace."""

from cases.activities import urls as activities_urls
from cases.case_file import urls as case_file_urls
from cases.consultations import urls as consultations_urls
from cases.gdpr import urls as gdpr_urls
from cases.households import urls as households_urls
from cases.orientations import urls as orientations_urls
from cases.permanences import urls as permanences_urls
from cases.persons import urls as persons_urls
from cases.referrals import urls as referrals_urls
from cases.reminders import urls as reminders_urls
from cases.risk import urls as risk_urls
from cases.screenings import urls as screenings_urls

app_name = "cases"

urlpatterns = [
    *case_file_urls.urlpatterns,
    *persons_urls.urlpatterns,
    *households_urls.urlpatterns,
    *gdpr_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *permanences_urls.urlpatterns,
    *consultations_urls.urlpatterns,
    *risk_urls.urlpatterns,
    *screenings_urls.urlpatterns,
    *orientations_urls.urlpatterns,
    *activities_urls.urlpatterns,
    *reminders_urls.urlpatterns,
]
