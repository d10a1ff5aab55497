"""Benchmarks, run by hand (never by `make test`): dataset generators and timed runs.

Each run prints the project's figure beside a floor measured in the same run on the same
connection (the same result computed by hand-written SQL) and the ratio. See README.md.
"""
