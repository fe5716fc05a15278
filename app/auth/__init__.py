"""Accounts: login sessions, invitation and password reset links."""
