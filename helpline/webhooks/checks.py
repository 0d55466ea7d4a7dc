"""A misconfigured allowed range fails loudly at start-up rather than on the first delivery."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, register


@register()
def allowed_networks_parse(app_configs, **kwargs) -> list[Error]:
    errors = []
    for item in settings.HELPLINE_WEBHOOK_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as error:
            errors.append(
                Error(
                    f"HELPLINE_WEBHOOK_ALLOWED_NETWORKS: {item!r} is not a network ({error})",
                    id="helpline.webhooks.E001",
                )
            )
    return errors
