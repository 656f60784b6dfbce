"""Read-only views across domains: home pages, the action-plan dashboard, briefing packs."""
