from django.urls import path

from dashboards.views import dashboard, exports

urlpatterns = [
    # What leaders read: the school dashboard, the lists behind it, its help, the district view
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/list/", dashboard.dashboard_list, name="dashboard_list"),
    path("dashboard/help/", dashboard.dashboard_help, name="dashboard_help"),
    path("district/", dashboard.district_dashboard, name="district_dashboard"),
    # CSV exports of a period (GET: a download link can be bookmarked)
    path("exports/", exports.export_page, name="exports"),
]
