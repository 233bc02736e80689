"""Mapping tables: literal data only, no logic."""
