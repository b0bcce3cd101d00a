from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "baocao.sources"
    label = "sources"
    verbose_name = "Nguồn dữ liệu"

    def ready(self) -> None:
        # A source's run is a kind of background job; the jobs app keeps its table of kinds.
        from baocao.jobs.tasks import TASKS

        from .tasks import SOURCE_RUN

        TASKS.setdefault("source_run", SOURCE_RUN)
