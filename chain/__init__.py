"""EVM access for Sahara Legends: the chain port, the tx manager, contract bindings,
the devnet supervisor, the deployer and the indexer.

Only this package talks to web3 / eth-account; the rest of the game sees the small
port in :mod:`chain.port` and the bindings.
"""
