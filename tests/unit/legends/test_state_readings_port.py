"""The app answers every question of the quests' ``PlayerState`` port from the chain."""

from __future__ import annotations

import inspect

from legends.wiring.state_readings import SuiteState
from quests.objectives.state import PlayerState


def test_the_suite_answers_every_question_a_state_check_may_ask():
    wanted = {name for name, _ in inspect.getmembers(PlayerState, inspect.isfunction)
              if not name.startswith("_")}
    assert wanted and wanted <= {name for name in dir(SuiteState) if not name.startswith("_")}
