"""Stand-in for the `airflow` package, for dags/tests only: records what the DAG files build.

Never deploy it: Airflow's own package must be the one imported. The constructors take exactly
the keyword arguments of the real ones that exist in both Airflow 2.9 and 3.x (sources named in
each module), so a misspelled or version-specific argument fails with TypeError, as the real
class would on one of the two versions.
"""

from airflow.models.dag import DAG  # noqa: F401  (Airflow 2 and 3 both re-export DAG here)
