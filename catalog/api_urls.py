from django.urls import path

from . import api

app_name = "catalog_api"

urlpatterns = [
    path("projects/", api.project_list, name="projects"),
    path("projects/<str:slug>/", api.project_detail, name="project"),
    path("stacks/", api.stack_list, name="stacks"),
]
