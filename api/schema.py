"""drf-spectacular post-processing: every operation documents the errors it can answer.

- 400 (writes, and lists with filters): field errors in DRF's shape, {"field": ["message"]}
  ("non_field_errors" for the rest);
- 401: no or a bad token (or session);
- 403 (writes): the user is no coach;
- 404 (paths with an id): no such row within the user's scope (never a 403).

Path ids are documented as the URLs take them: digits, at most 2**63 - 1.
"""

ERROR_SCHEMAS = {
    "FieldErrors": {
        "type": "object",
        "description": "Field errors: each field's messages; non_field_errors for the rest.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "Detail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
}


def _response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter["schema"].get("type") == "integer":
                    # The URL takes digits only; ids are 64-bit.
                    parameter["schema"].update(minimum=0, maximum=2**63 - 1)
            responses = operation.setdefault("responses", {})
            writes = method in ("post", "put", "patch", "delete")
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if writes or has_query:
                responses.setdefault(
                    "400", _response("Invalid input: field errors.", "FieldErrors")
                )
            responses.setdefault("401", _response("Not signed in, or a bad token.", "Detail"))
            if writes:
                responses.setdefault("403", _response("Only coaches write.", "Detail"))
            if "{" in path:
                responses.setdefault(
                    "404", _response("No such row within what you may see.", "Detail")
                )
            if has_query and any(p["name"] == "page" for p in operation["parameters"]):
                responses.setdefault("404", _response("No such page.", "Detail"))
    return result
