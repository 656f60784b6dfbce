"""Agencies, the two forums, and which agency sits where (with history)."""
