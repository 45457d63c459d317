"""Dates stored with the precision the sources give them.

A source may say "2003", "February 2013" or "31 March 2012". We store a real date
(the first day of the year or month when coarser) beside its precision, and always
display it at that precision, so a year is never shown as 1 January.
"""

import datetime

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


def truncate(value: datetime.date, precision: str) -> datetime.date:
    """The canonical stored form: the first day of the year or month."""
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def format_date(value, precision, qualifier=""):
    """Render a date at its precision, e.g. "mid-2011", "February 2013", "31 March 2012"."""
    if value is None:
        return gettext("unknown")
    if precision == Precision.YEAR:
        text = str(value.year)
    elif precision == Precision.MONTH:
        # The order and the words of a date belong to the language (Django's date format characters): Chinese
        # writes 2013年2月 and 2012年3月31日.
        text = dateformat.format(value, pgettext("date at month precision", "F Y"))
    else:
        text = dateformat.format(value, pgettext("date at day precision", "j F Y"))
    if qualifier:
        joiner = "-" if qualifier in {"early", "mid", "late"} else " "
        text = f"{qualifier}{joiner}{text}"
    return text


def iso_date(value, precision):
    """Machine-readable form at the stored precision (for <time datetime> and exports)."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
