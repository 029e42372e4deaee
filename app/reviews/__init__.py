"""Scoring by judges against weighted criteria: competitions now, pilot-project selection next."""
