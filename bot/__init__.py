"""The OIH patient-education assistant's own logic, importable without a Rasa server."""
