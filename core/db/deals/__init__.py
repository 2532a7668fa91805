"""The deal workspace (seed 003): pipelines and statuses, the list and the board, a deal's money."""
