"""Stand-in for SparkSubmitOperator (apache-airflow-providers-apache-spark).

Its keyword arguments are those of every provider version from 4.8.0 (the first with
``yarn_queue`` and ``deploy_mode``; runs on Airflow 2.9) to the latest read, at apache/airflow
commit 015d5de73450d467912e6cc31e9f44aab528190b (providers/apache/spark/src/airflow/providers/
apache/spark/operators/spark_submit.py, provider 6.x). Left out because older providers lack them:
openlineage_inject_parent_job_info, openlineage_inject_transport_info (5.1.1), post_submit_commands
(6.0.1), track_driver_via_k8s_api, yarn_track_via_rm_api, yarn_rm_auth (6.1.0), reconnect_on_retry,
durable. The rest go to BaseOperator, as in the real class.

template_fields: provider 4.7.2 to 5.x (6.x adds post_submit_commands).
"""

from airflow.models.baseoperator import BaseOperator


class SparkSubmitOperator(BaseOperator):
    template_fields = ("application", "conf", "files", "py_files", "jars", "driver_class_path", "packages",
                       "exclude_packages", "keytab", "principal", "proxy_user", "name", "application_args",
                       "env_vars", "properties_file")

    def __init__(self, *, application="", conf=None, conn_id="spark_default", files=None, py_files=None,
                 archives=None, driver_class_path=None, jars=None, java_class=None, packages=None,
                 exclude_packages=None, repositories=None, total_executor_cores=None, executor_cores=None,
                 executor_memory=None, driver_memory=None, keytab=None, principal=None, proxy_user=None,
                 name="arrow-spark", num_executors=None, status_poll_interval=1, application_args=None,
                 env_vars=None, verbose=False, spark_binary=None, properties_file=None, yarn_queue=None,
                 deploy_mode=None, use_krb5ccache=False, **kwargs):
        super().__init__(**kwargs)
        self.application = application
        self.conf = conf
        self.conn_id = conn_id
        self.java_class = java_class
        self.name = name
        self.application_args = application_args
        self.env_vars = env_vars
        self.spark_binary = spark_binary
        self.deploy_mode = deploy_mode
