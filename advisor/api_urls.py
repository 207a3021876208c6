from django.urls import path

from . import feedback_views, views

app_name = "advisor_api"

urlpatterns = [
    path("advise/", views.api_advise, name="advise"),
    # A plain Django view (JSON in and out) so it can be mounted wherever the API lives.
    path("feedback/", feedback_views.api_feedback, name="feedback"),
]
