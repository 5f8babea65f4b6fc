"""Binds the domain packages (``quests``, ``nft``) to the database and the chain: the chain
link, the clock, the completion sink, leaderboards, state readings, the faucet, agents, NPCs
and what a player owns. Composition only; the rules live in the domain packages."""
