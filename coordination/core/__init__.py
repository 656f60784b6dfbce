"""Domain-free helpers: time zones, errors, Markdown, HTTP headers."""
