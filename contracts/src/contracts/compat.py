"""Breaking changes between two JSON Schemas of one event version: what would break producers or consumers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Schema = Mapping[str, Any]

_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
# Whether one regex or format accepts everything another does is undecidable in general: any change breaks.
_EXACT = ("pattern", "format", "multipleOf")
_NULL = frozenset({"null"})


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """Reasons why events of `old` and `new` could not be read by consumers of the other; empty if compatible.

    Breaking: a property removed or no longer required, a new required property, a narrowed type, a removed
    enum value, a tightened limit, a changed pattern, format or const, additionalProperties turned false,
    null no longer allowed. Adding optional properties and widening (null branch, enum values, looser
    limits) is compatible. Local `$ref`s are resolved; keywords not listed here are not compared.
    """
    return _Diff(old, new).node(old, new, "")


def _at(path: str) -> str:
    return path or "<root>"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _types(node: Schema) -> frozenset[str] | None:
    kind = node.get("type")
    if kind is None:
        return None
    return frozenset([kind] if isinstance(kind, str) else kind)


def _show(types: frozenset[str] | None) -> str:
    return "|".join(sorted(types - {"null"}) or ["null"]) if types else "any"


def _resolve(node: Schema, root: Schema) -> Schema:
    """The node with its local `$ref` chain followed (siblings of `$ref` win) and a lone allOf merged."""
    seen: set[str] = set()
    while isinstance(ref := node.get("$ref"), str):
        if not ref.startswith("#") or ref in seen:
            raise ValueError(f"unsupported $ref {ref!r}: only local, non-circular references are resolved")
        seen.add(ref)
        target: Any = root
        for part in ref[1:].split("/")[1:]:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    all_of = node.get("allOf")
    if isinstance(all_of, Sequence) and len(all_of) == 1:
        rest = {key: value for key, value in node.items() if key != "allOf"}
        return {**_resolve(all_of[0], root), **rest}
    return node


def _alternatives(node: Schema, root: Schema) -> tuple[list[Schema], bool]:
    """The non-null branches of a node (pydantic's `anyOf: [X, {type: null}]`) and whether it allows null."""
    resolved = _resolve(node, root)
    branches = resolved.get("anyOf") or resolved.get("oneOf")
    if branches is None:
        types = _types(resolved)
        return ([] if types == _NULL else [node]), types is None or "null" in types
    alternatives: list[Schema] = []
    nullable = False
    for branch in branches:
        types = _types(_resolve(branch, root))
        nullable = nullable or types is None or "null" in types
        if types != _NULL:
            alternatives.append(branch)
    return alternatives, nullable


def _type_reasons(old: Schema, new: Schema, path: str) -> list[str]:
    old_types, new_types = _types(old), _types(new)
    if new_types is None:
        return []
    accepted = new_types | ({"integer"} if "number" in new_types else set()) | {"null"}
    if old_types is not None and old_types <= accepted:
        return []
    return [f"{_at(path)}: type changed from {_show(old_types)} to {_show(new_types)}"]


def _value_reasons(old: Schema, new: Schema, path: str) -> list[str]:
    at = _at(path)
    reasons: list[str] = []
    if "const" in new and old.get("const", ...) != new["const"]:
        was = repr(old["const"]) if "const" in old else "none"
        reasons.append(f"{at}: const changed from {was} to {new['const']!r}")
    if "enum" in new:
        old_values = old["enum"] if "enum" in old else [old["const"]] if "const" in old else None
        if old_values is None:
            reasons.append(f"{at}: enum added {new['enum']!r}")
        reasons += [f"{at}: enum value {value!r} removed" for value in old_values or [] if value not in new["enum"]]
    for keyword in _EXACT:
        if keyword in new and old.get(keyword) != new[keyword]:
            change = f"changed from {old[keyword]!r} to" if keyword in old else "added"
            reasons.append(f"{at}: {keyword} {change} {new[keyword]!r}")
    if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
        reasons.append(f"{at}: uniqueItems now true")
    return reasons


def _limit_reasons(old: Schema, new: Schema, path: str) -> list[str]:
    reasons: list[str] = []
    for keywords, tighter, verb in ((_UPPER_BOUNDS, -1, "lowered"), (_LOWER_BOUNDS, 1, "raised")):
        for keyword in keywords:
            if keyword not in new:
                continue
            if keyword not in old:
                reasons.append(f"{_at(path)}: {keyword} added {new[keyword]}")
            elif (new[keyword] - old[keyword]) * tighter > 0:
                reasons.append(f"{_at(path)}: {keyword} {verb} {old[keyword]} -> {new[keyword]}")
    return reasons


class _Diff:
    """One comparison; remembers the `$ref` pairs under comparison so that recursive models terminate."""

    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self.active: set[tuple[str, str]] = set()

    def node(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_alternatives, old_null = _alternatives(old, self.old_root)
        new_alternatives, new_null = _alternatives(new, self.new_root)
        reasons = [f"{_at(path)}: null no longer allowed"] if old_null and not new_null else []
        for alternative in old_alternatives:
            reasons += self._best_match(alternative, new_alternatives, path)
        return reasons

    def _best_match(self, old: Schema, candidates: list[Schema], path: str) -> list[str]:
        """Nothing if some new branch accepts the old one, else the reasons against the closest branch."""
        if not candidates:
            old_types = _types(_resolve(old, self.old_root))
            return [f"{_at(path)}: type changed from {_show(old_types)} to null"]
        best: list[str] | None = None
        for candidate in candidates:
            reasons = self._single(old, candidate, path)
            if not reasons:
                return []
            if best is None or len(reasons) < len(best):
                best = reasons
        return best or []

    def _single(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_ref, new_ref = old.get("$ref"), new.get("$ref")
        key = (old_ref, new_ref) if isinstance(old_ref, str) and isinstance(new_ref, str) else None
        if key is not None and key in self.active:
            return []
        if key is not None:
            self.active.add(key)
        try:
            old_node, new_node = _resolve(old, self.old_root), _resolve(new, self.new_root)
            return [
                *_type_reasons(old_node, new_node, path),
                *_value_reasons(old_node, new_node, path),
                *_limit_reasons(old_node, new_node, path),
                *self._object_reasons(old_node, new_node, path),
                *self._additional_reasons(old_node, new_node, path),
                *self._array_reasons(old_node, new_node, path),
            ]
        finally:
            if key is not None:
                self.active.discard(key)

    def _object_reasons(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_props: Schema = old.get("properties", {})
        new_props: Schema = new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        reasons: list[str] = []
        for name, schema in old_props.items():
            if name not in new_props:
                reasons.append(f"{_join(path, name)}: property removed")
                continue
            if name in old_required and name not in new_required:
                reasons.append(f"{_join(path, name)}: no longer required")
            reasons += self.node(schema, new_props[name], _join(path, name))
        for name in sorted(new_required - old_required):
            what = "now required" if name in old_props else "new required property"
            reasons.append(f"{_join(path, name)}: {what}")
        if old.get("additionalProperties") is False:
            added = sorted(set(new_props) - set(old_props) - new_required)
            reasons += [f"{_join(path, name)}: added where additionalProperties was false" for name in added]
        return reasons

    def _additional_reasons(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_extra, new_extra = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if new_extra is False and old_extra is not False:
            return [f"{_at(path)}: additionalProperties now false"]
        if isinstance(new_extra, Mapping) and isinstance(old_extra, Mapping):
            return self.node(old_extra, new_extra, _join(path, "*"))
        if isinstance(new_extra, Mapping) and old_extra is True:
            return [f"{_at(path)}: additionalProperties now constrained"]
        return []

    def _array_reasons(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_items, new_items = old.get("items", True), new.get("items", True)
        if new_items is False and old_items is not False:
            return [f"{_at(path)}: items now false"]
        if isinstance(new_items, Mapping):
            return self.node(old_items if isinstance(old_items, Mapping) else {}, new_items, f"{path}[]")
        return []
