"""Stand-in for airflow.models.param.Param (2.9+) and airflow.sdk.Param (3.x).

Real signature in both: ``Param(default=NOTSET, description=None, **kwargs)`` where kwargs are
JSON-schema keywords. This stand-in is stricter: it takes only the schema keywords listed, so
a misspelled one (``fromat``) fails here, where Airflow would silently keep it.
"""

import datetime

NOTSET = object()
_SCHEMA_KEYWORDS = ("type", "format", "title", "enum", "examples", "minLength", "maxLength", "pattern",
                    "minimum", "maximum", "items", "values_display", "description_md", "const")


class Param:
    def __init__(self, default=NOTSET, description=None, **kwargs):
        unknown = set(kwargs) - set(_SCHEMA_KEYWORDS)
        if unknown:
            raise TypeError(f"Param() got unexpected schema keyword(s) {sorted(unknown)}")
        self.value = default
        self.description = description
        self.schema = kwargs

    def has_value(self):
        return self.value is not NOTSET

    def validate(self, value):
        """The checks of the schema keywords used here: type string, format date."""
        if self.schema.get("type") == "string" and not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string")
        if self.schema.get("format") == "date":
            datetime.date.fromisoformat(value)
        return value
