"""What the API says about each published entry: serializers built from each kind's declaration.

The declarations (`representation.py` in each entry's app, see cases/find/representation.py) are also the
export columns, so an API list and a download of the same list name and value every field alike. Related
entries are listed only when published.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from rest_framework import serializers

from cases.interventions.representation import CASE
from cases.organisations.representation import ORGANISATION
from cases.scholarship.representation import POSITION
from cases.site.representation import SOURCE


class DeclaredField(serializers.Field):
    """A read-only field whose value is read from the row by the declaration."""

    def __init__(self, declared, **kwargs):
        self.declared = declared
        super().__init__(source="*", read_only=True, allow_null=declared.nullable, help_text=declared.label, **kwargs)

    def to_representation(self, row):
        return self.declared.value(row, self.context.get("request"))


class DeclaredFieldSchema(OpenApiSerializerFieldExtension):
    """The OpenAPI schema of a declared field: the JSON Schema its declaration gives."""

    target_class = DeclaredField

    def map_serializer_field(self, auto_schema, direction):
        declared = self.target.declared
        schema = dict(declared.schema)
        choices = schema.pop("x-choices", None)
        if choices is not None:  # as for a model's choices: enum, the labels, a named enum component
            return build_choice_field(serializers.ChoiceField(choices=choices, allow_null=declared.nullable))
        return _without_labels(schema)


def _without_labels(schema):
    """A nested schema without the declarations' `x-choices` (its enum says the values)."""
    if isinstance(schema, dict):
        return {key: _without_labels(value) for key, value in schema.items() if key != "x-choices"}
    if isinstance(schema, list):
        return [_without_labels(item) for item in schema]
    return schema


def serializer_for(representation, *, detail=False):
    """A serializer class with the listed fields (and, for one entry, the detail fields) of `representation`."""
    fields = representation.listed + (representation.detail if detail else ())
    name = representation.schema_name + ("Detail" if detail else "")
    attrs = {f.name: DeclaredField(f) for f in fields}
    return type(f"{name}Serializer", (serializers.Serializer,), attrs)  # the schema names it `name`


InterventionSerializer = serializer_for(CASE)
InterventionDetailSerializer = serializer_for(CASE, detail=True)
OrganisationSerializer = serializer_for(ORGANISATION)
OrganisationDetailSerializer = serializer_for(ORGANISATION, detail=True)
PositionSerializer = serializer_for(POSITION)
PositionDetailSerializer = serializer_for(POSITION, detail=True)
SourceSerializer = serializer_for(SOURCE)
