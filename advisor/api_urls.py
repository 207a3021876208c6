from django.urls import path

from . import views

app_name = "advisor_api"

urlpatterns = [
    path("advise/", views.api_advise, name="advise"),
]
