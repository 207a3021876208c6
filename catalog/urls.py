from django.urls import path

from . import views
from .feeds import CatalogChangesFeed

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("stacks/", views.stack_list, name="stacks"),
    path("stacks/<slug:slug>/", views.stack_detail, name="stack"),
    path("catalog/", views.project_list, name="list"),
    path("catalog/export.csv", views.export_csv, name="export-csv"),
    path("catalog/export.json", views.export_json, name="export-json"),
    path("catalog/compare/", views.compare, name="compare"),
    path("catalog/compare.csv", views.compare_csv, name="compare-csv"),
    path("catalog/graph/", views.graph, name="graph"),
    path("catalog/landscape/", views.landscape, name="landscape"),
    path("catalog/stats/", views.stats, name="stats"),
    path("catalog/changes.atom", CatalogChangesFeed(), name="changes-feed"),
    path("catalog/<slug:slug>/", views.project_detail, name="detail"),
]
