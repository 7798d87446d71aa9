from django.urls import include, path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tickets/<int:number>/", views.ticket_detail, name="ticket"),
    *(
        path(
            f"tickets/<int:number>/{action}/",
            views.ticket_action,
            {"action": action},
            name=f"ticket_{action}",
        )
        for action in views.TICKET_ACTIONS
    ),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer"),
]
