"""Search: one box for everything a user may see (issue 21)."""
