from django.urls import include, path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tickets/<int:number>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:number>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:number>/note/", views.ticket_note, name="ticket_note"),
    path("tickets/<int:number>/assign/", views.ticket_assign, name="ticket_assign"),
    path("tickets/<int:number>/team/", views.ticket_team, name="ticket_team"),
    path("tickets/<int:number>/status/", views.ticket_status, name="ticket_status"),
    path("tickets/<int:number>/priority/", views.ticket_priority, name="ticket_priority"),
    path("tickets/<int:number>/tags/", views.ticket_tags, name="ticket_tags"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer"),
]
