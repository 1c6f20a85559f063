"""The OpenAPI schema validates with no warning, describes the token and the Idempotency-Key,
and its docs page works offline (everything from our own static files)."""

import re

import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_the_schema_validates_without_a_single_warning(db, capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    captured = capsys.readouterr()
    assert "Warning" not in captured.err + captured.out
    assert "Error" not in captured.err + captured.out


def test_the_schema_describes_the_token_the_key_and_the_errors(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    create = schema["paths"]["/api/v1/orders/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert {"200", "201", "400", "401", "409", "429"} <= set(create["responses"])
    upload = schema["paths"]["/api/v1/orders/{id}/files/"]["post"]
    assert "413" in upload["responses"]


def test_the_schema_is_served(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert "/api/v1/orders/{id}/submit/" in yaml.safe_load(response.content)["paths"]


def test_the_docs_page_loads_nothing_from_other_sites(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
