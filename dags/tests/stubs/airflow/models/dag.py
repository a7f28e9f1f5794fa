"""Stand-in for airflow.DAG (airflow.models.dag.DAG in 2.9, airflow.sdk.DAG in 3.x).

Keyword arguments: those both versions take (Airflow 2.9 ``DAG.__init__`` and the 3.x Task SDK
attrs class, read from apache/airflow's
airflow/models/dag.py at 2.9 and task-sdk/src/airflow/sdk/definitions/dag.py). Left out on
purpose: 2.x-only ones removed in 3 (schedule_interval, timetable, concurrency, full_filepath,
default_view, orientation, fail_stop, sla_miss_callback) and 3.x-only ones (fail_fast,
deadline, disable_bundle_versioning).
"""

NOTSET = object()


class DAG:
    def __init__(self, dag_id, *, description=None, schedule=NOTSET, start_date=None, end_date=None,
                 template_searchpath=None, template_undefined=None, user_defined_macros=None,
                 user_defined_filters=None, default_args=None, max_active_tasks=16, max_active_runs=16,
                 max_consecutive_failed_dag_runs=0, dagrun_timeout=None, catchup=NOTSET,
                 on_success_callback=None, on_failure_callback=None, doc_md=None, params=None,
                 access_control=None, is_paused_upon_creation=None, jinja_environment_kwargs=None,
                 render_template_as_native_obj=False, tags=None, owner_links=None, auto_register=True,
                 dag_display_name=None):
        self.dag_id = dag_id
        self.description = description
        self.schedule = schedule
        self.start_date = start_date
        self.catchup = catchup
        self.max_active_runs = max_active_runs
        self.params = params
        self.tags = tags
        self.doc_md = doc_md
        self.default_args = default_args
        self.task_dict = {}

    def add_task(self, task):
        if task.task_id in self.task_dict:
            raise ValueError(f"Task id '{task.task_id}' has already been added to the DAG")
        self.task_dict[task.task_id] = task

    @property
    def tasks(self):
        return list(self.task_dict.values())
