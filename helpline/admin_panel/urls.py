from django.urls import path

from helpline.admin_panel import canned_responses, email_templates, views
from helpline.admin_panel.api_keys import views as api_keys
from helpline.admin_panel.assignment import views as assignment
from helpline.admin_panel.custom_forms import views as custom_forms
from helpline.admin_panel.desk_settings import views as desk_settings
from helpline.admin_panel.email_channel import banned, mailboxes, received
from helpline.admin_panel.organisation import departments, teams
from helpline.admin_panel.priorities import views as priorities
from helpline.admin_panel.requesters import csv_export, import_page, organizations
from helpline.admin_panel.requesters import views as requesters
from helpline.admin_panel.roles import views as roles
from helpline.admin_panel.service_levels import plans, schedules
from helpline.admin_panel.sign_in_security import views as sign_in_security
from helpline.admin_panel.staff_accounts import agents
from helpline.admin_panel.ticket_routing import rule_test, rules, statuses, topics
from helpline.admin_panel.webhooks import views as webhooks

app_name = "admin_panel"
urlpatterns = [
    path("", views.index, name="index"),
    path("audit/", views.audit_log, name="audit_log"),
    path("mailboxes/", mailboxes.mailbox_list, name="mailboxes"),
    path("mailboxes/new/", mailboxes.mailbox_new, name="mailbox_new"),
    path("mailboxes/<int:pk>/", mailboxes.mailbox_edit, name="mailbox_edit"),
    path("mailboxes/<int:pk>/deactivate/", mailboxes.mailbox_deactivate, name="mailbox_deactivate"),
    path("banned/", banned.banned_list, name="banned"),
    path("banned/add/", banned.banned_add, name="banned_add"),
    path("banned/<int:pk>/remove/", banned.banned_remove, name="banned_remove"),
    path("received/", received.received_list, name="received"),
    path("received/<int:pk>/", received.received_detail, name="received_detail"),
    path("received/<int:pk>/message.eml", received.received_download, name="received_download"),
    path("received/<int:pk>/discard/", received.received_discard, name="received_discard"),
    path("received/<int:pk>/retry/", received.received_retry, name="received_retry"),
    path("assignment/", assignment.assignment, name="assignment"),
    path("assignment/departments/<int:pk>/", assignment.department_strategy, name="department_strategy"),
    path("assignment/teams/<int:pk>/", assignment.team_strategy, name="team_strategy"),
    path("assignment/agents/", assignment.agent_list, name="agent_availability"),
    path("assignment/agents/<int:pk>/", assignment.agent_edit, name="agent_availability_edit"),
    path("emails/", email_templates.email_templates, name="email_templates"),
    path("emails/<slug:kind>/", email_templates.email_template, name="email_template"),
    path("emails/<slug:kind>/reset/", email_templates.email_template_reset, name="email_template_reset"),
    path("schedules/", schedules.schedule_list, name="schedules"),
    path("schedules/new/", schedules.schedule_new, name="schedule_new"),
    path("schedules/<int:pk>/", schedules.schedule_edit, name="schedule_edit"),
    path("sla-plans/", plans.plan_list, name="sla_plans"),
    path("sla-plans/new/", plans.plan_new, name="sla_plan_new"),
    path("sla-plans/<int:pk>/", plans.plan_edit, name="sla_plan_edit"),
    path("topics/", topics.topic_list, name="help_topics"),
    path("topics/new/", topics.topic_new, name="help_topic_new"),
    path("topics/<int:pk>/", topics.topic_edit, name="help_topic_edit"),
    path("topics/<int:pk>/deactivate/", topics.topic_deactivate, name="help_topic_deactivate"),
    path("statuses/", statuses.status_list, name="statuses"),
    path("statuses/new/", statuses.status_new, name="status_new"),
    path("statuses/<int:pk>/", statuses.status_edit, name="status_edit"),
    path("statuses/<int:pk>/move/", statuses.status_move, name="status_move"),
    path("statuses/<int:pk>/default/", statuses.status_make_default, name="status_make_default"),
    path("rules/", rules.rule_list, name="filter_rules"),
    path("rules/new/", rules.rule_new, name="filter_rule_new"),
    path("rules/test/", rule_test.rule_test, name="filter_rule_test"),
    path("rules/<int:pk>/", rules.rule_edit, name="filter_rule_edit"),
    path("rules/<int:pk>/move/", rules.rule_move, name="filter_rule_move"),
    path("rules/<int:pk>/deactivate/", rules.rule_deactivate, name="filter_rule_deactivate"),
    path("canned/", canned_responses.response_list, name="canned_responses"),
    path("canned/new/", canned_responses.response_new, name="canned_response_new"),
    path("canned/<int:pk>/", canned_responses.response_edit, name="canned_response_edit"),
    path(
        "canned/<int:pk>/deactivate/", canned_responses.response_deactivate, name="canned_response_deactivate"
    ),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/new/", webhooks.webhook_new, name="webhook_new"),
    path("webhooks/<int:pk>/", webhooks.webhook_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/secret/", webhooks.webhook_rotate, name="webhook_rotate"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/resend/",
        webhooks.delivery_resend,
        name="webhook_delivery_resend",
    ),
    path("requesters/", requesters.requester_list, name="requesters"),
    path("requesters/new/", requesters.requester_new, name="requester_new"),
    path("requesters/export.csv", csv_export.requesters_export, name="requesters_export"),
    path("requesters/import/", import_page.requesters_import, name="requesters_import"),
    path("requesters/<int:pk>/", requesters.requester_edit, name="requester_edit"),
    path("requesters/<int:pk>/merge/", requesters.requester_merge, name="requester_merge"),
    path("organizations/", organizations.organization_list, name="organizations"),
    path("organizations/new/", organizations.organization_new, name="organization_new"),
    path("organizations/<int:pk>/", organizations.organization_edit, name="organization_edit"),
    path("sign-in/", sign_in_security.sign_in_security, name="sign_in_security"),
    path("sign-in/agents/<int:pk>/reset/", sign_in_security.second_factor_reset, name="second_factor_reset"),
    path("api-keys/", api_keys.key_list, name="api_keys"),
    path("api-keys/new/", api_keys.key_new, name="api_key_new"),
    path("api-keys/<int:pk>/revoke/", api_keys.key_revoke, name="api_key_revoke"),
    path("departments/", departments.department_list, name="departments"),
    path("departments/new/", departments.department_new, name="department_new"),
    path("departments/<int:pk>/", departments.department_edit, name="department_edit"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_new, name="team_new"),
    path("teams/<int:pk>/", teams.team_edit, name="team_edit"),
    path("agents/", agents.agent_list, name="agents"),
    path("agents/invite/", agents.agent_invite, name="agent_invite"),
    path("agents/<int:pk>/", agents.agent_edit, name="agent_edit"),
    path("agents/<int:pk>/deactivate/", agents.agent_deactivate, name="agent_deactivate"),
    path("agents/<int:pk>/reactivate/", agents.agent_reactivate, name="agent_reactivate"),
    path("agents/<int:pk>/resend/", agents.agent_resend, name="agent_resend"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/new/", roles.role_new, name="role_new"),
    path("roles/<int:pk>/", roles.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
    path("priorities/", priorities.priority_list, name="priorities"),
    path("priorities/new/", priorities.priority_new, name="priority_new"),
    path("priorities/<int:pk>/", priorities.priority_edit, name="priority_edit"),
    path("settings/", desk_settings.desk_settings, name="desk_settings"),
    path("forms/", custom_forms.form_list, name="custom_forms"),
    path("forms/new/", custom_forms.form_new, name="custom_form_new"),
    path("forms/<int:pk>/", custom_forms.form_edit, name="custom_form_edit"),
    path("forms/<int:form_pk>/fields/new/", custom_forms.field_new, name="custom_field_new"),
    path("fields/<int:pk>/", custom_forms.field_edit, name="custom_field_edit"),
    path("choice-lists/", custom_forms.choice_list_list, name="choice_lists"),
    path("choice-lists/new/", custom_forms.choice_list_new, name="choice_list_new"),
    path("choice-lists/<int:pk>/", custom_forms.choice_list_edit, name="choice_list_edit"),
]
