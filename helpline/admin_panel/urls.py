from django.urls import path

from helpline.admin_panel import canned_responses, email_templates, views
from helpline.admin_panel.assignment import views as assignment
from helpline.admin_panel.custom_forms import views as custom_forms
from helpline.admin_panel.email_channel import banned, mailboxes, received
from helpline.admin_panel.service_levels import plans, schedules
from helpline.admin_panel.ticket_routing import rule_test, rules, statuses, topics

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
    path("forms/", custom_forms.form_list, name="custom_forms"),
    path("forms/new/", custom_forms.form_new, name="custom_form_new"),
    path("forms/<int:pk>/", custom_forms.form_edit, name="custom_form_edit"),
    path("forms/<int:form_pk>/fields/new/", custom_forms.field_new, name="custom_field_new"),
    path("fields/<int:pk>/", custom_forms.field_edit, name="custom_field_edit"),
    path("choice-lists/", custom_forms.choice_list_list, name="choice_lists"),
    path("choice-lists/new/", custom_forms.choice_list_new, name="choice_list_new"),
    path("choice-lists/<int:pk>/", custom_forms.choice_list_edit, name="choice_list_edit"),
]
