from django.http import HttpRequest, HttpResponse


def board(request: HttpRequest) -> HttpResponse:
    return HttpResponse("contrib board")
