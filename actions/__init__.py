"""rasa-sdk custom actions: thin adapters between Rasa trackers and the logic in bot/."""
