"""feeds domain."""
