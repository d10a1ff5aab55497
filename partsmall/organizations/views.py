from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partsmall.organizations.access import page


@page(permission=None, scope="authenticated")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "organizations/home.html")
