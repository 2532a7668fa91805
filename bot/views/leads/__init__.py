"""A law firm's leads (seed 004): contact cards' leads, their statuses, the import, the funnel report."""
