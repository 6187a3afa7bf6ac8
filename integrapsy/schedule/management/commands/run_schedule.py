import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from integrapsy.schedule.jobs import run_schedule_once

logger = logging.getLogger("integrapsy.schedule")


class Command(BaseCommand):
    help = "Enqueue the scheduled jobs when due (retention daily, the outbox sweep every minute), in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=20, help="Seconds between passes (20).")

    def handle(self, *args, once: bool = False, interval: float = 20, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False

        if not once:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        while True:
            if not once:
                close_old_connections()
            for line in run_schedule_once():
                self.stdout.write(f"enqueued {line}")
            if once or not self.running:
                return
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(0.5, interval))
            if not self.running:
                self.stdout.write("schedule stopped")
                return
