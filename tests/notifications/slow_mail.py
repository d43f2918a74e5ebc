"""An e-mail backend for worker tests: takes its time (so a sweep can be interrupted) and appends
one line per message to a file the test reads (the worker's mail.outbox is in another process)."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class SlowCountingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("SLOW_MAIL_SECONDS", "0"))
        log = os.environ["SLOW_MAIL_LOG"]
        for message in email_messages:
            time.sleep(delay)
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(
                    f"{','.join(message.to)}\t{message.subject}\t{message.extra_headers.get('Message-ID', '')}\n"
                )
        return len(email_messages)
