"""The quest engine: the pure rules of Sahara Legends.

Plain Python only (no Flask, SQLAlchemy or web3): quest definitions loaded from YAML,
objective types that judge evidence, the progress state machine, periods, streaks, levels
and referrals. Persistence, the indexer and the HTTP API are built on top of this package.

Where to start:
- ``quests.loader.load_catalog`` turns ``quests/catalog/*.yaml`` into a ``Catalog``;
- ``quests.engine.refresh`` / ``quests.engine.advance`` move one player's quest forward;
- ``quests.explain.explain`` says why a quest is (not yet) complete.
"""
