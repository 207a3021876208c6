from django.urls import path

from . import feedback_views, views

app_name = "advisor"

urlpatterns = [
    path("", views.questionnaire, name="questionnaire"),
    path("decision-record.md", views.decision_record, name="decision-record"),
    path("feedback/", feedback_views.page_feedback, name="feedback"),
]
