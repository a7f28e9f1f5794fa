"""Stand-in for airflow.sdk (Airflow 3's Task SDK): DAG, Param, Variable, BaseOperator.

Tests hide it (sys.modules["airflow.sdk"] = None) to run the DAG files as on Airflow 2.
"""

from airflow.models.baseoperator import BaseOperator  # noqa: F401
from airflow.models.dag import DAG  # noqa: F401
from airflow.models.param import Param  # noqa: F401
from airflow.timetables.interval import CronDataIntervalTimetable  # noqa: F401
from airflow.models import variable as _variable


class Variable:
    """airflow.sdk.Variable (task-sdk/src/airflow/sdk/definitions/variable.py):
    ``get(cls, key, default=NOTSET, deserialize_json=False)``; the default is ``default`` here,
    ``default_var`` in Airflow 2."""

    @classmethod
    def get(cls, key, default=_variable._NO_DEFAULT, deserialize_json=False):
        return _variable.lookup(key, default, deserialize_json)
