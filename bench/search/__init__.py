"""Catalogue search and import benchmarks on dataset M (see bench/README.md)."""
