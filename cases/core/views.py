from django.http import HttpResponse


def home(request):
    return HttpResponse("home")


def about(request):
    return HttpResponse("about")


def page_not_found(request, exception):
    return HttpResponse("not found", status=404)


def server_error(request):
    return HttpResponse("error", status=500)
