from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone


@dataclass
class Clock:
    """A settable `timezone.now` for the tests of codes and lock-outs."""

    now: datetime

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    clock = Clock(now=timezone.now().replace(hour=10, minute=0, second=0, microsecond=0))
    with patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock
