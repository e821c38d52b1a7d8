"""Domain rules of the coach: what a step does beyond asking (save a profile, pick an exit line)."""
