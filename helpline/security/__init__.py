"""Sign-in security for agents: the second factor, the sessions and their lifetimes, the policy."""
