"""The administration area's "Sign-in security" section: who must use a second factor, the session
lifetimes, and the agents' second factors (whether each has one, and resetting it)."""
