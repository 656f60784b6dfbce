"""Meeting series, meetings, agendas and documents of both forums."""
