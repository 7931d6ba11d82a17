"""Rasa graph components of the assistant (named in config.yml by their dotted path)."""
