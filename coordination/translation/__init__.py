"""What the secretariat still has to translate: content read by both communities that is
written in one official language only."""
