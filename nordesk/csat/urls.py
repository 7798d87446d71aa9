from django.urls import path

from . import views

app_name = "csat"

urlpatterns = [
    path("<str:token>/", views.survey, name="survey"),
]
