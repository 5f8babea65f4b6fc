"""Rewards: token ids, crafting recipes, the grant ledger, the minting outbox, metadata and art.

Everything in this package is plain Python: no Flask, no database, no EVM. Persistence, the
reward worker and the HTTP views are built on top of these rules elsewhere.
"""
