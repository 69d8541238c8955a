"""AMP703, AMP704, AMP705, AMP710: relationships whose other side is missing or does not match, and
identifiers data-schema rejects. The quoted errors are @aws-amplify/data-schema 1.26.2's, measured."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location
from ..model.backend import Backend
from ..model.schema import RELATIONSHIPS, Schema, SchemaField, SchemaModel

RELATIONSHIP_WITHOUT_OTHER_SIDE = "AMP703"
REFERENCE_FIELD_MISSING = "AMP704"
REFERENCES_DO_NOT_MATCH_IDENTIFIER = "AMP705"
IDENTIFIER_NOT_REQUIRED = "AMP710"

# Scalar types a reference field and an identifier field may pair with: ID and String are the same.
_SAME_TYPE = {"id": "string"}
_SCALARS = frozenset(
    {
        "id",
        "string",
        "integer",
        "float",
        "boolean",
        "date",
        "time",
        "datetime",
        "timestamp",
        "email",
        "json",
        "phone",
        "url",
        "ipAddress",
    }
)


def _shown(owner: str, field: SchemaField, target: str, references: tuple[str, ...]) -> str:
    """`P.cs: [C] @hasMany(references: ['pId'])`, as data-schema prints a relationship."""
    kind = field.kind
    typed = f"[{target}]" if kind == "hasMany" else target
    refs = ", ".join(f"'{r}'" for r in references)
    return f"{owner}.{field.name}: {typed} @{kind}(references: [{refs}])"


def _relationships(model: SchemaModel) -> Iterator[tuple[SchemaField, str, tuple[str, ...]]]:
    for field in model.fields.values():
        target = field.target
        if field.kind in RELATIONSHIPS and target is not None:
            references = field.references
            if references is not None:
                yield field, target.value, references


def relationships(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for parent in schema.models.values():
        for field, target, references in _relationships(parent):
            child = schema.models.get(target)
            if child is None or not child.fields_complete:
                continue  # not a model (AMP706) or fields amplint cannot see
            location = field.location
            if field.kind == "belongsTo":
                sides = [
                    f
                    for f, t, r in _relationships(child)
                    if f.kind in ("hasMany", "hasOne") and t == parent.name and r == references
                ]
                if not sides:
                    yield _missing_side(child.name, _shown(parent.name, field, target, references), location)
                continue
            sides = [
                f for f, t, r in _relationships(child) if f.kind == "belongsTo" and t == parent.name and r == references
            ]
            shown = _shown(parent.name, field, target, references)
            if not sides:
                yield _missing_side(child.name, shown, location)
                continue
            if len(sides) > 1:
                names = ", ".join(f"{child.name}.{s.name}" for s in sides)
                yield Diagnostic(
                    RELATIONSHIP_WITHOUT_OTHER_SIDE,
                    f'Two `belongsTo` on `{child.name}` answer this relationship, so synth fails with "Found '
                    f'multiple relationship associations with {names} for {shown}"; give each pair its own '
                    "reference fields",
                    location,
                )
                continue
            (side,) = sides
            yield from _reference_fields(schema, parent, child, field, side, references, shown)


def _missing_side(other: str, shown: str, location: Location) -> Diagnostic:
    return Diagnostic(
        RELATIONSHIP_WITHOUT_OTHER_SIDE,
        f'`{other}` has no matching relationship with the same references, so synth fails with "Unable to find '
        f'associated relationship definition in {other} for {shown}"; add the other side '
        "(`a.belongsTo(...)` for `hasMany`/`hasOne`, `a.hasMany(...)` or `a.hasOne(...)` for `belongsTo`) "
        "with the same reference fields",
        location,
    )


def _reference_fields(
    schema: Schema,
    parent: SchemaModel,
    child: SchemaModel,
    field: SchemaField,
    side: SchemaField,
    references: tuple[str, ...],
    shown: str,
) -> Iterator[Diagnostic]:
    side_shown = _shown(child.name, side, parent.name, references)
    side_location = side.location
    missing = [r for r in references if child.has_field(r) is False]
    if missing:
        yield Diagnostic(
            REFERENCE_FIELD_MISSING,
            f"`{missing[0]}` is not declared on `{child.name}`, so synth fails with \"reference field '{missing[0]}' "
            f'must be defined on {child.name}. {shown} <-> {side_shown}"; add `{missing[0]}: a.id()` (the type of '
            f"`{parent.name}`'s identifier) to `{child.name}`",
            side_location,
        )
        return
    identifier = parent.identifier
    keys = (
        [name.value for name in identifier]
        if identifier is not None
        else (["id"] if not parent.declares_identifier else None)
    )
    if keys is None:
        return
    if len(keys) != len(references):
        yield Diagnostic(
            REFERENCES_DO_NOT_MATCH_IDENTIFIER,
            f"`{parent.name}`'s identifier has {len(keys)} field(s) ({', '.join(keys)}) but the relationship references "
            f'{len(references)} ({", ".join(references)}), so synth fails with "The identifiers defined on '
            f'{parent.name} must match the reference fields defined on {child.name}."; reference one field per '
            "identifier field",
            side_location,
        )
        return
    for key, reference in zip(keys, references):
        key_type = "id" if key == "id" and key not in parent.fields else _type(parent.fields.get(key))
        ref_type = _type(child.fields.get(reference))
        if key_type is None or ref_type is None:
            continue
        if _SAME_TYPE.get(key_type, key_type) != _SAME_TYPE.get(ref_type, ref_type):
            yield Diagnostic(
                REFERENCES_DO_NOT_MATCH_IDENTIFIER,
                f"`{child.name}.{reference}` is `a.{ref_type}()` but `{parent.name}.{key}` is `a.{key_type}()`, so synth "
                f'fails with "Validate Error: types do not match" (ID and String pair; other types must be the same); '
                f"make `{reference}` `a.{key_type}()`",
                child.fields[reference].location,
            )
            return


def _type(field: SchemaField | None) -> str | None:
    return field.kind if field is not None and field.kind in _SCALARS else None


def identifier_not_required(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for model in schema.models.values():
        for written in model.identifier or ():
            name = written.value
            field = model.fields.get(name)
            if field is None or not field.readable:
                continue
            target = field.target
            is_enum = field.kind == "ref" and target is not None and target.value in schema.enums
            if field.kind == "id" or (field.required and not is_enum) or (field.kind not in _SCALARS and not is_enum):
                continue
            why = "an enum field cannot be part of an identifier" if is_enum else f"`{name}` is not `.required()`"
            yield Diagnostic(
                IDENTIFIER_NOT_REQUIRED,
                f'{why[0].upper()}{why[1:]}, so synth fails with "Invalid identifier definition. Field {name} cannot '
                'be used in the identifier. Identifiers must reference required or DB-generated fields)"; '
                + (
                    "use a string field for the identifier"
                    if is_enum
                    else f"make it `{name}: a.{field.kind}().required()`"
                ),
                written.literal_location,
            )
