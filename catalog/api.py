from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def project_list(request):
    return JsonResponse({"results": []})


@require_GET
def project_detail(request, slug):
    return JsonResponse({"error": "not implemented"}, status=404)


@require_GET
def stack_list(request):
    return JsonResponse({"results": []})
