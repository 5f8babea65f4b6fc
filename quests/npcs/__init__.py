"""The world's NPCs and their rules: who plays them, what they stock and charge, and what
they decide — the caravan's reviewer (:mod:`quests.npcs.caravan`), the Bazaar merchant
(:mod:`quests.npcs.bazaar`), the council elder (:mod:`quests.npcs.council`) and the Oracle
of the Dunes (:mod:`quests.npcs.oracle`).

Everything here is plain Python: the NPCs' hands (reading the chain, sending their
transactions) live in ``legends.wiring`` and ``legends.workers.caretaker``, which read what
the world looks like, ask these rules what to do, and do it.
"""
