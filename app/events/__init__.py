"""Matchmaking events: forums, competitions and industry-finance meetings."""
