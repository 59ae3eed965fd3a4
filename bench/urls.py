from django.urls import path

from bench import views

urlpatterns = [
    path("plaintext/", views.plaintext, name="bench_plaintext"),
    path("fortunes/", views.fortunes, name="bench_fortunes"),
]
