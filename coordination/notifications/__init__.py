"""E-mail through a persistent outbox: written in the business transaction, sent later."""
