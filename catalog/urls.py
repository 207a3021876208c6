from django.urls import path

from . import views
from .feeds import CatalogChangesFeed

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.project_list, name="list"),
    path("catalog/compare/", views.compare, name="compare"),
    path("catalog/changes.atom", CatalogChangesFeed(), name="changes-feed"),
    path("catalog/<slug:slug>/", views.project_detail, name="detail"),
]
