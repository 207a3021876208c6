from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def questionnaire(request):
    return HttpResponse("advisor")


@require_GET
def decision_record(request):
    return HttpResponse("", content_type="text/markdown")


@require_GET
def api_advise(request):
    return JsonResponse({"projects": [], "stacks": []})
