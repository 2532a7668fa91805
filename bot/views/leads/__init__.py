"""A law firm's leads (seed 004): contact cards' leads, their statuses, the import, the funnel report. What other areas
may show of it is published here."""

