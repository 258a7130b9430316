"""Daily budgets of the paid services (LLM tokens, speech-to-text seconds), in the database.

One DailySpend row per UTC day and kind. Every worker adds what it spent with one
UPDATE ... SET amount = amount + n, which the database applies atomically (on SQLite
and PostgreSQL alike), so concurrent workers never lose each other's spending, and
nothing a cache does (fail open, evict, restart empty) can reset a budget.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db.models import F
from django.utils import timezone

from articles.models import DailySpend

LLM_TOKENS = DailySpend.Kind.LLM_TOKENS
STT_SECONDS = DailySpend.Kind.STT_SECONDS


def utc_today() -> date:
    return datetime.now(UTC).date()


def budget_spent(*, kind: str, day: date | None = None) -> int:
    """What was spent of `kind` on `day` (today, UTC, by default)."""
    amount = (
        DailySpend.objects.filter(day=day or utc_today(), kind=kind)
        .values_list("amount", flat=True)
        .first()
    )
    return int(amount or 0)


def budget_charge(*, kind: str, amount: int, day: date | None = None) -> None:
    """Add `amount` to what was spent of `kind` on `day` (today, UTC, by default)."""
    if amount <= 0:
        return
    day = day or utc_today()
    rows = DailySpend.objects.filter(day=day, kind=kind)
    change = {"amount": F("amount") + amount, "updated_at": timezone.now()}
    if rows.update(**change):
        return
    # The day's first charge: get_or_create survives a concurrent first charge (the
    # unique constraint refuses the second row, and it reads the first), then the same
    # atomic UPDATE as above adds to whatever the row holds by then.
    DailySpend.objects.get_or_create(day=day, kind=kind)
    rows.update(**change)
