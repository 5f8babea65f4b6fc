"""Benchmarks: ``python -m bench`` runs them all, ``python -m bench chain`` runs one."""
