"""Structured logs: one JSON object per line, with the request id when there is one."""

import contextvars
import json
import logging

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

# The id of the request this thread (or task) is serving; set by cases.core.middleware.RequestIdMiddleware.
current_request_id = contextvars.ContextVar("request_id", default="")


class RequestIdFilter(logging.Filter):
    """Stamp records logged while a request is served with its id, so lines from code that does not know the
    request (Django's own 500 traceback from `django.request`, libraries) can be found by the id the reader saw.
    A record that names its own request_id keeps it; records outside a request are left as they are."""

    def filter(self, record):
        request_id = current_request_id.get()
        if request_id and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)
