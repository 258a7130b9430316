from django.urls import path

from articles.search import views

urlpatterns = [path("", views.search, name="search")]
