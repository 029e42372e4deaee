"""A small JSON Schema checker for the subset `app/api/openapi.py` uses ($ref, type, required,
properties, additionalProperties, items, anyOf, enum, minimum, maximum, maxLength), so that
tests can hold real responses against the published document without another dependency."""

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def resolve(document: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _is_type(value, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def errors(document: dict, schema: dict, value, path: str = "$") -> list[str]:
    """What is wrong with `value` under `schema` (empty when it conforms)."""
    if "$ref" in schema:
        return errors(document, resolve(document, schema["$ref"]), value, path)
    found: list[str] = []
    if "anyOf" in schema:
        if all(errors(document, option, value, path) for option in schema["anyOf"]):
            found.append(f"{path}: matches no alternative of anyOf")
        return found
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, name) for name in names):
            return [f"{path}: {value!r} is not of type {names}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in enum")
    if "minimum" in schema and isinstance(value, int) and value < schema["minimum"]:
        found.append(f"{path}: {value} < minimum")
    if "maximum" in schema and isinstance(value, int) and value > schema["maximum"]:
        found.append(f"{path}: {value} > maximum")
    if "maxLength" in schema and isinstance(value, str) and len(value) > schema["maxLength"]:
        found.append(f"{path}: longer than maxLength")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{path}: missing {name!r}")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += errors(document, properties[name], item, f"{path}.{name}")
            elif extra is False:
                found.append(f"{path}: unexpected {name!r}")
            elif isinstance(extra, dict):
                found += errors(document, extra, item, f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += errors(document, schema["items"], item, f"{path}[{i}]")
    return found


def response_schema(document: dict, path: str, status: int) -> dict:
    operation = document["paths"][path]["get"]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]


def refs(node) -> list[str]:
    """Every $ref in a document."""
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []
