from django.urls import path

from topics import views

urlpatterns = [
    path("", views.TopicListView.as_view(), name="topic_list"),
    path("<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
]
