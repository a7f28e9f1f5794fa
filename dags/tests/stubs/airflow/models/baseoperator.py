"""Stand-in for BaseOperator (airflow.models.baseoperator 2.9, airflow.sdk.BaseOperator 3.x).

Keyword arguments: those that the Airflow 3.x Task SDK's BaseOperator takes (task-sdk/src/
airflow/sdk/bases/operator.py, commit 003b17149bb872645c57e7258672c79ce26fea45) and Airflow 2.9's
also does. Left out: sla (removed in 3), task_concurrency (removed), and executor, logger_name,
allow_nested_operators, retry_policy (not in 2.9).
"""

import datetime

_UNSET = object()


class BaseOperator:
    template_fields = ()

    def __init__(self, *, task_id, owner="airflow", email=None, email_on_retry=True, email_on_failure=True,
                 retries=0, retry_delay=datetime.timedelta(seconds=300), retry_exponential_backoff=False,
                 max_retry_delay=None, start_date=None, end_date=None, depends_on_past=False,
                 ignore_first_depends_on_past=True, wait_for_past_depends_before_skipping=False,
                 wait_for_downstream=False, dag=None, params=None, default_args=None, priority_weight=1,
                 weight_rule="downstream", queue="default", pool=_UNSET, pool_slots=1,
                 execution_timeout=None, on_execute_callback=None, on_failure_callback=None,
                 on_success_callback=None, on_retry_callback=None, on_skipped_callback=None,
                 pre_execute=None, post_execute=None, trigger_rule="all_success", resources=None,
                 run_as_user=None, map_index_template=None, max_active_tis_per_dag=None,
                 max_active_tis_per_dagrun=None, executor_config=None, do_xcom_push=True,
                 multiple_outputs=False, inlets=None, outlets=None, task_group=None, doc=None, doc_md=None,
                 doc_json=None, doc_yaml=None, doc_rst=None, task_display_name=None):
        if not isinstance(retries, int):
            raise TypeError(f"'retries' type must be int, not {type(retries).__name__}")
        if not isinstance(retry_delay, datetime.timedelta):
            raise TypeError("retry_delay must be a timedelta here")
        if execution_timeout is not None and not isinstance(execution_timeout, datetime.timedelta):
            raise ValueError(f"execution_timeout must be timedelta object but passed as type: {type(execution_timeout)}")
        self.task_id = task_id
        self.retries = retries
        self.retry_delay = retry_delay
        self.execution_timeout = execution_timeout
        self.pool = "default_pool" if pool is _UNSET else pool
        self.doc_md = doc_md
        self.dag = dag
        self.upstream_task_ids = set()
        self.downstream_task_ids = set()
        if dag is not None:
            dag.add_task(self)

    def set_upstream(self, other):
        self.upstream_task_ids.add(other.task_id)
        other.downstream_task_ids.add(self.task_id)

    def set_downstream(self, other):
        other.set_upstream(self)

    def __rshift__(self, other):
        self.set_downstream(other)
        return other

    def __lshift__(self, other):
        self.set_upstream(other)
        return other
