"""Signing agents in with their directory password (LDAP, django-auth-ldap), on the staff sign-in form.

The directory checks the password; the person is then the existing agent with the directory's email address
(or, configured so, with the same username). Nothing is copied from the directory: no account is made, no
name or flag written, no group turned into a role or a permission, whatever the AUTH_LDAP_* settings say.
"""

import logging

from django.conf import settings as django_settings
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import LDAPSettings

from helpline.people.sign_on import Match, agent_user_by_email, agent_user_by_username
from helpline.staff.sso.refusal import refuse

logger = logging.getLogger(__name__)

# django-auth-ldap's settings that would make or change accounts and rights from the directory: held here,
# over anything configured.
HELD = {
    "ALWAYS_UPDATE_USER": False,
    "NO_NEW_USERS": True,
    "USER_ATTR_MAP": {},
    "USER_FLAGS_BY_GROUP": {},
    "MIRROR_GROUPS": None,
    "MIRROR_GROUPS_EXCEPT": None,
    "FIND_GROUP_PERMS": False,
    "AUTHORIZE_ALL_USERS": False,
}


class AgentLDAPBackend(LDAPBackend):
    _settings: LDAPSettings | None = None

    @property
    def settings(self) -> LDAPSettings:
        if self._settings is None:
            held = LDAPSettings(self.settings_prefix, self.default_settings)
            for name, value in HELD.items():
                setattr(held, name, value)
            self._settings = held
        return self._settings

    @settings.setter
    def settings(self, value: LDAPSettings) -> None:
        self._settings = value

    def get_or_build_user(self, username, ldap_user):
        """The agent the directory entry stands for; never a new user (``built`` is always False)."""
        match = self._match(username, ldap_user)
        if match.user is None:
            logger.info("LDAP sign-in refused for %s: %s", username, match.refusal)
            refuse(ldap_user._request, match.refusal)
            raise ldap_user.AuthenticationFailed(match.refusal)
        return match.user, False

    def _match(self, username: str, ldap_user) -> Match:
        if django_settings.HELPLINE_LDAP_MATCH_BY == "username":
            return agent_user_by_username(username)
        values = (ldap_user.attrs or {}).get(django_settings.HELPLINE_LDAP_EMAIL_ATTRIBUTE) or [""]
        return agent_user_by_email(values[0])

    def get_user(self, user_id):
        # As Django's ModelBackend: a deactivated agent's session ends at the next request.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
