"""The colour of each status badge, for what is drawn rather than styled (the charts).

A badge is a white label with a border, its text in the status's colour (``.tag-<status>`` in
``static/css/badges.css``, which a test keeps equal to this table). Each measure status has
its own colour so that a chart of statuses reads like the lists; a status that ends a measure
without it being carried out also has a dashed border, so colour is never the only signal.
"""

#: Text colours with at least 4.5:1 contrast on white.
BADGE_COLOURS: dict[str, str] = {
    "proposed": "#92400e",
    "adopted": "#1e3a8a",
    "in_progress": "#0f766e",
    "postponed": "#6b21a8",
    "implemented": "#065f46",
    "rejected": "#991b1b",
    "withdrawn": "#4b5563",
    "late": "#991b1b",
    "verdict-met": "#065f46",
    "verdict-not_met": "#991b1b",
    "verdict-no_result": "#4b5563",
}
