"""What every API operation can answer besides its own outcomes, written into the schema in one
place, and OPTIONS answered without asking a view for a serializer it may not have.

The views document their own refusals (400 with field errors, 409 for a state). Some answers
come from the machinery around every view, so the schema says them for every operation here,
the way a client meets them:

- 400 whenever the request carries anything to read (a body, a query: a filter, `?page=0`),
  and for a body nested too deeply or a header that is not valid;
- 401 / 403 for who is asking; 404 whenever the path names an object; 413 for a body over the
  limit; 429 for the rate limits.

`tests/fuzz/test_api_fuzz.py` checks that every status an operation answers is documented."""

from rest_framework.metadata import SimpleMetadata

from companies.serializers import ErrorOut

ERROR_REF = "#/components/schemas/ErrorOut"

GENERIC = {
    "400": "Invalid: `code` is `invalid` (or `parse_error`) and `errors` says what to fix.",
    "401": "Not signed in, or a token that is not valid (`not_authenticated`, `invalid_token`).",
    "403": "Not allowed here (`permission_denied`, `not_authenticated`, `csrf_failed`).",
    "404": "No such object among yours (`not_found`).",
    "413": "The request is too large (`too_large`).",
    "429": "Too many requests (`throttled`); see Retry-After.",
}


class ApiMetadata(SimpleMetadata):
    """OPTIONS: name, description and media types, without the per-method field listing (which
    asks the view for a `serializer_class` that views calling rules do not have)."""

    def determine_metadata(self, request, view) -> dict:
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request, view) -> dict:
        return {}


def error_component() -> dict:
    from drf_spectacular.openapi import AutoSchema

    return AutoSchema()._map_serializer(ErrorOut(), "response")


def document_generic_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: add the answers of GENERIC an operation can get."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in schemas:
        schemas["ErrorOut"] = error_component()
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                # A filter given empty (?delivery_to=) is read as not given.
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            wanted = {"401", "403", "429"}
            if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
                wanted.add("400")
            if "requestBody" in operation:
                wanted.add("413")
            if "{" in path:
                wanted.add("404")
            responses = operation.setdefault("responses", {})
            for code in sorted(wanted - set(responses)):
                responses[code] = {
                    "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                    "description": GENERIC[code],
                }
    link_created_objects(result.get("paths", {}))
    return result


def link_created_objects(paths: dict) -> None:
    """OpenAPI links from each create (a POST answering 201 with an `id`) to every operation on
    the object it made (the paths under it with one more `{param}`), so that clients and the
    stateful fuzzer follow an order from its creation to its files, messages and cancel."""
    for path, item in paths.items():
        create = item.get("post")
        if not create or "201" not in create.get("responses", {}):
            continue
        for other, other_item in paths.items():
            rest = other[len(path) :] if other.startswith(path) else ""
            if not rest.startswith("{") or "}" not in rest or rest.count("{") != 1:
                continue
            param = rest[1 : rest.index("}")]
            for method, operation in other_item.items():
                if method not in {"get", "post", "put", "patch", "delete"}:
                    continue
                name = f"{method}{other}".replace("/", "_").replace("{", "").replace("}", "")
                create["responses"]["201"].setdefault("links", {})[name] = {
                    "operationId": operation["operationId"],
                    "parameters": {param: "$response.body#/id"},
                }
