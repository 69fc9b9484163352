"""Sync the manuscript with Overleaf through its git bridge, never losing a co-author's work."""
