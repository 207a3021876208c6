from django.contrib import admin

from . import models

for model in (
    models.Category, models.Framework, models.DataType, models.Scale, models.Scenario,
    models.Project, models.Link, models.Relation, models.Stack, models.StackMember,
):
    admin.site.register(model)
