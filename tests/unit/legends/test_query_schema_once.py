"""A query-string model builds its JSON schema once (flask_openapi3 asks for it on every
request) and hands out copies, so a caller that changes one changes nothing else."""

from __future__ import annotations

from pydantic import BaseModel

from legends.api.leaderboard_models import BoardQuery
from legends.api.quests_models import QuestsQuery, ReferralsQuery


def test_a_query_model_builds_its_schema_once_and_hands_out_copies(monkeypatch):
    built: list[type] = []
    original = BaseModel.model_json_schema.__func__  # type: ignore[attr-defined]

    def counting(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(cls)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(BaseModel, "model_json_schema", classmethod(counting))
    monkeypatch.setattr("legends.api.contract._QUERY_SCHEMAS", {})
    first = ReferralsQuery.model_json_schema()
    first["properties"].clear()
    again = ReferralsQuery.model_json_schema()
    assert "limit" in again["properties"] and built == [ReferralsQuery]
    assert BoardQuery.model_json_schema() != QuestsQuery.model_json_schema()
    assert built == [ReferralsQuery, BoardQuery, QuestsQuery]
    assert BoardQuery.model_json_schema(mode="serialization") is not None
    assert built[-1] is BoardQuery and len(built) == 4  # other arguments: built for them
