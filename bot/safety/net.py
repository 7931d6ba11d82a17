"""Placeholder; replaced below."""
def net_verdict(text):
    return None
