from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import callback_data


def test_round_trip_and_size() -> None:
    data = callback_data.encode(10**12 - 1, "a" * 32)
    assert len(data.encode()) <= 64
    assert callback_data.decode(data) == callback_data.ButtonData(10**12 - 1, "a" * 32)


@pytest.mark.parametrize(
    "bad", [None, "", "v2.1.x", "v1.x.y", "v1.1.Ä", "v1.1.", "v1.1.a b", "1.1.a"]
)
def test_forged_or_foreign_data_does_not_decode(bad: str | None) -> None:
    assert callback_data.decode(bad) is None


@given(st.text(max_size=80))
def test_any_string_decodes_or_is_rejected(data: str) -> None:
    decoded = callback_data.decode(data)
    if decoded is not None:
        assert callback_data.encode(decoded.step, decoded.option) == data


def test_unencodable_option_is_refused() -> None:
    with pytest.raises(ValueError):
        callback_data.encode(1, "Not an id")
