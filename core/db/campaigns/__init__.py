"""Cold calls and the КП to cash (seed 001): campaigns, the stage engine, the survey, the КП, orders."""
