"""Test-only tasks, loaded by the integration suite's workers with ``--include``."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.integration.journal_slowly", ignore_result=True)
def journal_slowly(path: str, first_run_seconds: float) -> None:
    """Note each start and finish in ``path``; the first run is slow enough to kill."""
    journal = Path(path)
    first_run = not journal.exists()
    with journal.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    time.sleep(first_run_seconds if first_run else 0.2)
    with journal.open("a") as out:
        out.write(f"done {os.getpid()}\n")
