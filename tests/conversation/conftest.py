"""Conversation tests run against the real servers of the session-wide ``chat`` fixture.

``Chat``, ``chat``, ``server_dir`` and ``sender`` live in tests/conftest.py, because tests/web
drives the same servers with a browser.
"""
