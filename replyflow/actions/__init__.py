"""Case actions: one registry row per workflow action drives its POST route and its button."""
