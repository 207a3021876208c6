from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return HttpResponse("AliAdvisor")


@require_GET
def project_list(request):
    return HttpResponse("catalog")


@require_GET
def compare(request):
    return HttpResponse("compare")


@require_GET
def project_detail(request, slug):
    return HttpResponse(slug)
