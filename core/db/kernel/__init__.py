"""The shared kernel: people and access, tasks, the outbox, audit, documents, mail, what every area uses."""
