"""Excel import and export of the catalogue (services.py is the entry point)."""
