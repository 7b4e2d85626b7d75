"""Accounts: users, roles, teams, sessions and log-in."""
