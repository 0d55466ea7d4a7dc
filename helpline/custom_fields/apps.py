from django.apps import AppConfig


class CustomFieldsConfig(AppConfig):
    name = "helpline.custom_fields"
    verbose_name = "Custom forms and fields"
