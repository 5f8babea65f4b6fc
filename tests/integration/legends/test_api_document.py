"""The API contract holds: every /api route is in the generated OpenAPI document and every
operation there is a route; every status is described with a real schema; errors, 404 and
405 included, answer ``{"error", "field"}``; the documentation page needs nothing remote."""

from __future__ import annotations

import re

import pytest

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def doc(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def documented(doc) -> set[tuple[str, str]]:
    return {(path, method) for path, item in doc["paths"].items() for method in item if method in METHODS}


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", op


def test_every_api_route_is_in_the_document(app, doc):
    missing = api_routes(app) - documented(doc)
    assert not missing, f"routes missing from the OpenAPI document: {sorted(missing)}"


def test_the_document_lists_no_route_that_does_not_exist(app, doc):
    ghosts = documented(doc) - api_routes(app)
    assert not ghosts, f"documented but not routed: {sorted(ghosts)}"


def test_it_is_openapi_3_1_with_one_error_schema(doc):
    assert doc["openapi"] == "3.1.0"
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "field"]
    assert set(error["properties"]) == {"error", "field"}


def test_every_error_answer_references_the_error_schema_and_a_429_says_when_to_retry(doc):
    for name, op in operations(doc):
        for status, answer in op["responses"].items():
            if int(status) >= 400:
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, f"{name} {status}"
            if status == "429":
                assert "Retry-After" in answer["headers"], name
        if op.get("security"):
            assert "401" in op["responses"], f"{name} needs a session but documents no 401"


def test_no_reply_is_a_bare_object(doc):
    """Every successful reply has a named model (or, for the docs page, HTML)."""
    for name, op in operations(doc):
        for status, answer in op["responses"].items():
            for media, content in answer.get("content", {}).items():
                schema = content["schema"]
                assert schema != {"type": "object"}, f"{name} {status}"
                if media == "application/json" and int(status) < 400:
                    assert "$ref" in schema, f"{name} {status} has no model"


def test_inputs_carry_their_limits(doc):
    schemas = doc["components"]["schemas"]
    answer = schemas["AnswerBody"]["properties"]["answer"]
    assert answer["maxLength"] == 200 and answer["minLength"] == 1
    assert schemas["Verify"]["properties"]["message"]["maxLength"] == 4000
    limit = next(p for p in doc["paths"]["/api/leaderboard"]["get"]["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
    quest_id = doc["paths"]["/api/quests/{quest_id}"]["get"]["parameters"][0]["schema"]
    assert quest_id["pattern"] and quest_id["maxLength"] == 80


def test_the_faucet_answers_201_and_documents_its_refusals(doc):
    responses = doc["paths"]["/api/faucet"]["post"]["responses"]
    assert {"201", "400", "401", "403", "429", "503"} <= set(responses) and "200" not in responses


def test_model_names_are_unique_across_views():
    """The document names schemas by class name: two models of one name would overwrite."""
    import importlib
    import pkgutil

    from pydantic import BaseModel

    import legends.api

    seen: dict[str, str] = {}
    for info in pkgutil.iter_modules(legends.api.__path__):
        if not info.name.endswith("_models"):
            continue
        module = importlib.import_module(f"legends.api.{info.name}")
        for name, value in vars(module).items():
            own = isinstance(value, type) and value.__module__ == module.__name__
            if own and issubclass(value, BaseModel):
                assert name not in seen, f"{name} is defined in {seen[name]} and {module.__name__}"
                seen[name] = module.__name__


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_a_method_a_route_does_not_take_is_a_405_with_allow(client, method):
    response = client.open("/api/world", method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
    assert response.get_json() == {"error": response.get_json()["error"], "field": None}


def test_an_unknown_api_path_is_a_404_in_the_error_shape(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404 and set(response.get_json()) == {"error", "field"}


def test_input_that_does_not_fit_its_model_is_a_400_naming_the_field(client):
    response = client.get("/api/leaderboard?limit=1000")
    assert response.status_code == 400 and response.get_json()["field"] == "limit"
    response = client.get("/api/quests/" + "x" * 81)
    assert response.status_code == 400 and response.get_json()["field"] == "quest_id"


def test_a_signed_in_route_says_401_before_it_looks_at_the_body(client):
    response = client.post("/api/agents/1/invoke", data="{not json", content_type="application/json")
    assert response.status_code == 401 and response.get_json()["field"] == "session"


def test_the_docs_page_loads_only_local_files_under_a_strict_csp(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "http" not in html
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src
        assert client.get(src).status_code == 200, src
