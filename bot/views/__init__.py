"""What the bot shows: the texts and keyboards of each area, built from what a service returned. No service calls
and no rules here: a handler parses, calls one service, and renders with a view."""
