from django.urls import include, path

from . import (
    csat_views,
    dashboard_views,
    inbox_views,
    kb_ticket_views,
    kb_views,
    mail_views,
    people_views,
    portal_settings_views,
    profile_views,
    search_views,
    settings_views,
    supervisor_views,
    ticket_tools_views,
    ticket_views,
    time_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("views/", inbox_views.saved_view_create, name="saved_view_create"),
    path("views/<int:view_id>/", inbox_views.saved_view_update, name="saved_view_update"),
    path("views/<int:view_id>/delete/", inbox_views.saved_view_delete, name="saved_view_delete"),
    path("tickets/bulk/", inbox_views.bulk, name="bulk"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tickets/<int:number>/", ticket_views.ticket_detail, name="ticket"),
    *(
        path(
            f"tickets/<int:number>/{action}/",
            ticket_views.ticket_action,
            {"action": action},
            name=f"ticket_{action}",
        )
        for action in ticket_views.TICKET_ACTIONS
    ),
    path("presence/", views.presence_set, name="presence"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("customers/<int:customer_id>/", people_views.customer_detail, name="customer"),
    path("search/", search_views.search_results, name="search"),
    path("customers/", people_views.customer_list, name="customers"),
    path("customers/<int:customer_id>/edit/", people_views.customer_edit, name="customer_edit"),
    path("customers/<int:customer_id>/merge/", people_views.customer_merge, name="customer_merge"),
    path(
        "customers/<int:customer_id>/surveys/",
        people_views.customer_survey_opt_out,
        name="customer_survey_opt_out",
    ),
    path(
        "customers/<int:customer_id>/merge/confirm/",
        people_views.customer_merge_confirm,
        name="customer_merge_confirm",
    ),
    path("organisations/", people_views.organisation_list, name="organisations"),
    path(
        "organisations/<int:organisation_id>/",
        people_views.organisation_detail,
        name="organisation",
    ),
    path(
        "organisations/<int:organisation_id>/edit/",
        people_views.organisation_edit,
        name="organisation_edit",
    ),
    path("supervisor/", supervisor_views.supervisor, name="supervisor"),
    path("profile/", profile_views.profile, name="profile"),
    path("settings/mailboxes/", mail_views.mailbox_list, name="mailboxes"),
    path("settings/mailboxes/new/", mail_views.mailbox_create, name="mailbox_create"),
    path("settings/mailboxes/<int:mailbox_id>/", mail_views.mailbox_edit, name="mailbox_edit"),
    path(
        "settings/mailboxes/<int:mailbox_id>/webhook-secret/",
        mail_views.mailbox_webhook_secret,
        name="mailbox_webhook_secret",
    ),
    path("settings/mail-quarantine/", mail_views.quarantine, name="quarantine"),
    path(
        "settings/mail-quarantine/<int:raw_id>/raw/",
        mail_views.quarantine_raw,
        name="quarantine_raw",
    ),
    path(
        "settings/mail-quarantine/<int:raw_id>/retry/",
        mail_views.quarantine_retry,
        name="quarantine_retry",
    ),
    path(
        "settings/mail-quarantine/<int:raw_id>/discard/",
        mail_views.quarantine_discard,
        name="quarantine_discard",
    ),
    *settings_views.urlpatterns(),
    path("settings/portal/", portal_settings_views.portal_settings, name="portal_settings"),
    path("settings/surveys/", csat_views.csat_settings, name="csat_settings"),
    path("tickets/<int:number>/macro/", ticket_tools_views.macro_apply, name="ticket_macro"),
    path(
        "tickets/<int:number>/canned-reply/",
        ticket_tools_views.canned_reply_insert,
        name="ticket_canned_reply",
    ),
    path("kb/", kb_views.kb_list, name="kb"),
    path("kb/new/", kb_views.kb_article_create, name="kb_article_create"),
    path("kb/stats/", kb_views.kb_stats, name="kb_stats"),
    path("kb/sections/", kb_views.kb_sections, name="kb_sections"),
    path("kb/files/<int:file_id>/", kb_views.kb_file, name="kb_file"),
    path("kb/<int:article_id>/", kb_views.kb_article, name="kb_article"),
    path("kb/<int:article_id>/edit/", kb_views.kb_translation_edit, name="kb_translation_edit"),
    path("kb/<int:article_id>/settings/", kb_views.kb_article_settings, name="kb_article_settings"),
    path("kb/<int:article_id>/status/", kb_views.kb_article_status, name="kb_article_status"),
    path("kb/<int:article_id>/history/", kb_views.kb_history, name="kb_history"),
    path("kb/<int:article_id>/files/", kb_views.kb_file_upload, name="kb_file_upload"),
    path("tickets/<int:number>/kb-link/", kb_ticket_views.ticket_kb_link, name="ticket_kb_link"),
    path(
        "tickets/<int:number>/messages/<int:message_id>/to-article/",
        kb_ticket_views.ticket_message_to_article,
        name="ticket_message_to_article",
    ),
    # Handle time (issue 7): the page's active-time beacon and the manual entries.
    path("tickets/<int:number>/time/track/", time_views.time_track, name="time_track"),
    path("tickets/<int:number>/time/", time_views.time_entry_add, name="time_entry_add"),
    path(
        "tickets/<int:number>/time/<int:entry_id>/",
        time_views.time_entry_edit,
        name="time_entry_edit",
    ),
    path(
        "tickets/<int:number>/time/<int:entry_id>/delete/",
        time_views.time_entry_delete,
        name="time_entry_delete",
    ),
    # The live dashboard for supervisors (issue 7).
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
]
