"""The base class of every Celery task of the project (set as the app's `task_cls`).

Tasks retry on the failures that pass by themselves — a database or broker connection lost, a mail server
timing out — with exponential back-off and jitter, a bounded number of times. Time limits are global settings
(CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT). Tasks are idempotent (they take ids and call a
service), so a retry or a redelivery after a worker crash does no harm.
"""

from __future__ import annotations

import smtplib
import socket

from celery import Task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


class ResilientTask(Task):
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5  # seconds before the first retry, doubling each time
    # At most 5 minutes between retries: with the 300 s time limit this stays within the broker's visibility
    # timeout (CELERY_BROKER_TRANSPORT_OPTIONS), so a waiting retry is never handed out twice.
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 6
