"""Stand-in for airflow.models.Variable (Airflow 2.9+).

Real signature (airflow/models/variable.py, 2.9 and 2.10):
``Variable.get(key, default_var=<sentinel>, deserialize_json=False)``. The Task SDK's
(airflow.sdk.Variable, 3.x) names the default ``default``: portable code passes it positionally.
"""

import json

_NO_DEFAULT = object()
# What the tests put in Airflow's Variables: key -> the stored text.
values: dict = {}
# Every read: (key, deserialize_json).
reads: list = []


def lookup(key, default, deserialize_json):
    reads.append((key, deserialize_json))
    if key not in values:
        if default is _NO_DEFAULT:
            raise KeyError(f"Variable {key} does not exist")
        return default
    return json.loads(values[key]) if deserialize_json else values[key]


class Variable:
    @classmethod
    def get(cls, key, default_var=_NO_DEFAULT, deserialize_json=False):
        return lookup(key, default_var, deserialize_json)
