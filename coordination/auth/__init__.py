"""Logging in and out, passwords, and the authorization policy."""
