from django.urls import path, register_converter
from django.views.generic import RedirectView

from helpline.staff import views
from helpline.staff.sso.oidc import OIDCCallbackView, OIDCStartView
from helpline.staff.views import account_security, custom_fields, password_reset, two_factor
from helpline.staff.views.joining import join
from helpline.staff.views.new_ticket import ticket_new_fields


class TicketNumber:
    """A ticket's number in a URL: its digits (``tickets.numbers``); anything else is no page (404), so no
    view looks up a number with a NUL or a control character in it."""

    regex = "[0-9]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(TicketNumber, "ticket")

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "queues/",
        RedirectView.as_view(pattern_name="staff:queue", permanent=False),
        {"queue": "open"},
        name="queue_default",
    ),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("sso/oidc/start/", OIDCStartView.as_view(), name="oidc_start"),
    path("sso/oidc/callback/", OIDCCallbackView.as_view(), name="oidc_callback"),
    path("login/forgot/", password_reset.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "login/forgot/sent/", password_reset.StaffPasswordResetSentView.as_view(), name="password_reset_sent"
    ),
    path(
        "login/reset/<uidb64>/<token>/",
        password_reset.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "login/reset/done/",
        password_reset.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("two-factor/setup/start/", two_factor.two_factor_start, name="two_factor_start"),
    path("two-factor/setup/confirm/", two_factor.two_factor_confirm, name="two_factor_confirm"),
    path("account/", account_security.account_security, name="account_security"),
    path("account/recovery-codes/", two_factor.recovery_codes_renew, name="recovery_codes_renew"),
    path("account/two-factor/off/", account_security.two_factor_disable, name="two_factor_disable"),
    path("account/sessions/<int:pk>/end/", account_security.session_end, name="session_end"),
    path("account/sessions/end-all/", account_security.sign_out_everywhere, name="sign_out_everywhere"),
    path("join/<str:token>/", join, name="join"),
    path("queues/<slug:queue>/", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("saved/", views.saved_queue_list, name="saved_queues"),
    path("saved/new/", views.saved_queue_new, name="saved_queue_new"),
    path("saved/<int:pk>/", views.saved_queue, name="saved_queue"),
    path("saved/<int:pk>/edit/", views.saved_queue_edit, name="saved_queue_edit"),
    path("saved/<int:pk>/delete/", views.saved_queue_delete, name="saved_queue_delete"),
    path("preferences/", views.preferences, name="preferences"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/new/fields/", ticket_new_fields, name="ticket_new_fields"),
    path("tickets/bulk/", views.bulk, name="bulk"),
    path("tickets/<ticket:number>/", views.ticket_detail, name="ticket"),
    path("tickets/<ticket:number>/reply/", views.reply, name="reply"),
    path("tickets/<ticket:number>/note/", views.note, name="note"),
    path("tickets/<ticket:number>/assign/", views.assign, name="assign"),
    path("tickets/<ticket:number>/take/", views.claim, name="claim"),
    path("tickets/<ticket:number>/transfer/", views.transfer, name="transfer"),
    path("tickets/<ticket:number>/priority/", views.priority, name="priority"),
    path("tickets/<ticket:number>/sla/", views.sla, name="sla"),
    path("tickets/<ticket:number>/fields/", custom_fields.ticket_fields, name="ticket_fields"),
    path("tickets/<ticket:number>/status/", views.status, name="status"),
    path("tickets/<ticket:number>/cc/", views.cc_add, name="cc_add"),
    path("tickets/<ticket:number>/cc/<int:requester_id>/remove/", views.cc_remove, name="cc_remove"),
    path("tickets/<ticket:number>/delete/", views.ticket_delete, name="delete"),
    path("tickets/<ticket:number>/release-mail/", views.release_mail, name="release_mail"),
    path("tickets/<ticket:number>/revoke-links/", views.revoke_links, name="revoke_links"),
    path("tickets/<ticket:number>/follow/", views.follow, name="follow"),
    path("tickets/<ticket:number>/unfollow/", views.unfollow, name="unfollow"),
    path("tickets/<ticket:number>/replying/", views.replying, name="replying"),
    path("tickets/<ticket:number>/replying/stop/", views.replying_stop, name="replying_stop"),
    path("tickets/<ticket:number>/since/<int:seen>/", views.new_entries, name="new_entries"),
    path("tickets/<ticket:number>/links/", views.link_add, name="link_add"),
    path("tickets/<ticket:number>/links/<ticket:other>/remove/", views.link_remove, name="link_remove"),
    path("tickets/<ticket:number>/split/", views.split, name="split"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("tickets/<ticket:number>/canned/<int:pk>/", views.canned_insert, name="canned_insert"),
    path("tickets/<ticket:number>/tasks/", views.task_add, name="task_add"),
    path("tickets/<ticket:number>/tasks/<int:pk>/", views.task_edit, name="task_edit"),
    path("tickets/<ticket:number>/tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tickets/<ticket:number>/tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("responses/", views.my_responses, name="my_responses"),
    path("responses/new/", views.my_response_new, name="my_response_new"),
    path("responses/<int:pk>/", views.my_response_edit, name="my_response_edit"),
    path("responses/<int:pk>/deactivate/", views.my_response_deactivate, name="my_response_deactivate"),
    path("nav/counts/", views.nav_counts, name="nav_counts"),
    path("tickets/<ticket:number>/updates/", views.ticket_updates, name="ticket_updates"),
]
