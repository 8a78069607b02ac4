"""Personal work IM messages as a notification channel (filled in with the outbox hook)."""
