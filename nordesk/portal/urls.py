from django.urls import path

from . import account_views, help_views, ticket_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("search/", help_views.search, name="search"),
    path("categories/<slug:slug>/", help_views.category, name="category"),
    path("<str:language>/articles/<str:slug>/", help_views.article, name="article"),
    path(
        "<str:language>/articles/<str:slug>/feedback/",
        help_views.article_feedback,
        name="article_feedback",
    ),
    path("articles/files/<int:file_id>/", help_views.article_file, name="article_file"),
    path("contact/suggestions/", help_views.contact_suggestions, name="contact_suggestions"),
    path("contact/sent/", views.contact_done, name="contact_done"),
    path("embed/contact/", views.embed_contact, name="embed_contact"),
    path("widget.js", views.widget_js, name="widget_js"),
    path("sign-in/", account_views.sign_in, name="sign_in"),
    path("sign-in/link/", account_views.sign_in_link_request, name="sign_in_link_request"),
    path("sign-in/link/<str:token>/", account_views.sign_in_link, name="sign_in_link"),
    path("sign-in/password/", account_views.sign_in_password, name="sign_in_password"),
    path("sign-out/", account_views.sign_out, name="sign_out"),
    path("account/", account_views.account_settings, name="account"),
    path("tickets/", ticket_views.ticket_list, name="tickets"),
    path("tickets/<int:number>/", ticket_views.ticket_detail, name="ticket"),
    path("tickets/<int:number>/reply/", ticket_views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:number>/solve/", ticket_views.ticket_solve, name="ticket_solve"),
    path(
        "tickets/<int:number>/files/<int:attachment_id>/",
        ticket_views.attachment_download,
        name="attachment",
    ),
]
