"""Single sign-on for agents: OpenID Connect (``oidc``). Off unless configured (README, "Single sign-on");
who a sign-on stands for is ``people.sign_on``'s decision."""
