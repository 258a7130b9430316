"""Cursor pagination for every API list: a cursor the API did not make is a 404.

DRF decodes a cursor's base64 and query string but hands its position (`p`) to the
database as it is: a NUL character is a DataError on PostgreSQL, "abc" for a date a
ValidationError, 99…9 an integer overflow — 500s for a string anyone can type.
CheckedCursorPagination reads the position the way the ordering field reads a value
(its own parsing, its validators, the database's conversion) before any query, and
answers 404 "Invalid cursor" as DRF does for a cursor it cannot decode.
"""

from __future__ import annotations

import binascii
import math
from datetime import UTC, datetime
from decimal import DecimalException

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import Field, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

# What reading a value that does not fit a field raises, in Django and the drivers'
# adapters (a datetime out of range when moved to UTC, a float string too long).
_UNFIT = (DjangoValidationError, ValueError, TypeError, OverflowError, DecimalException)


def _ordering_field(queryset: QuerySet, name: str) -> Field | None:
    """The field (or annotation) a cursor's position is compared with."""
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    model, field = queryset.model, None
    try:
        for part in name.split(LOOKUP_SEP):
            field = model._meta.get_field(part)
            model = field.related_model or model
    except FieldDoesNotExist:
        return None
    return field


def position_fits(field: Field, position: str, *, using: str) -> bool:
    """Whether `position` is a value of `field` the database can compare with."""
    # No value of ours holds a NUL (PostgreSQL text cannot), and no cursor we make does.
    if "\x00" in position:
        return False
    try:
        value = field.to_python(position)
        if value is None:
            return False
        field.run_validators(value)  # max_length, the integer range, decimal digits
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if isinstance(value, datetime):
            # Positions are written aware (str() of a stored datetime); a naive one
            # was typed by hand. Moving it to UTC, as the database will, may overflow.
            if settings.USE_TZ and timezone.is_naive(value):
                return False
            value.astimezone(UTC)
        field.get_db_prep_value(value, connections[using], prepared=False)
    except _UNFIT:
        return False
    return True


class CheckedCursorPagination(CursorPagination):
    """Cursor pagination whose cursors are checked before they reach the database.

    Subclasses set page_size, ordering and the rest as for DRF's CursorPagination.
    """

    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset = queryset  # for decode_cursor(), which DRF gives no queryset
        try:
            return super().paginate_queryset(queryset, request, view)
        except _UNFIT:
            # A second net: a position that passed the checks and still did not fit.
            if request.query_params.get(self.cursor_query_param):
                raise NotFound(self.invalid_cursor_message) from None
            raise

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        # DRF's base64 decoding skips what is not base64, so "%%%" would read as an
        # empty cursor (the first page): a cursor we did not make is refused instead.
        try:
            if encoded is not None:
                binascii.a2b_base64(encoded.encode("ascii"), strict_mode=True)
        except (UnicodeError, binascii.Error):
            raise NotFound(self.invalid_cursor_message) from None
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = _ordering_field(self._queryset, self.ordering[0].lstrip("-"))
        # An ordering we cannot type is left to the second net above.
        if field is not None and not position_fits(field, cursor.position, using=self._queryset.db):
            raise NotFound(self.invalid_cursor_message)
        return cursor
