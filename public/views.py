from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from .documents import document_html


@require_safe
def home(request):
    return render(request, "public/home.html")


@require_safe
def methodology(request):
    return render(request, "public/document.html", {"document": mark_safe(document_html("methodology"))})
