"""Stand-in for CronDataIntervalTimetable: airflow.timetables.interval (Airflow 2.9+, 3.0) and
airflow.sdk (3.1+). Real constructor in both: ``(cron, timezone)``, from CronMixin."""


class CronDataIntervalTimetable:
    def __init__(self, cron, timezone):
        self.cron = cron
        self.timezone = timezone
