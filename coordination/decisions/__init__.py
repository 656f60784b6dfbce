"""The decision chain: a decision taken on an agenda item, recorded once, reaching the measure,
the minutes and the measure's timeline together."""
