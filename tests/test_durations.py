"""Durations and times: whole days, ASCII digits, at most 1000 years, and a clear error otherwise."""

from __future__ import annotations

import pytest

import tracer
from tracer.model.durations import MAX_DAYS, parse_duration

MODEL = tracer.load_model()  # the shipped Alexa model


def test_the_longest_duration_is_1000_years():
    assert parse_duration("1000y") == MAX_DAYS == 365_000
    assert tracer.parse_time(MAX_DAYS) == MAX_DAYS


@pytest.mark.parametrize("spec", ["10000000y", "1000000000y", "1001y", "365001d", "9" * 320 + "d"])
def test_a_deletion_time_over_1000_years_is_a_request_error(spec):
    # 10000000y used to draw a 93 MB report, 1000000000y to end in MemoryError, 320 digits in
    # OverflowError
    with pytest.raises(tracer.RequestError, match="is too long: durations and times go up to 1000"):
        tracer.trace(MODEL, "dominos-order", [f"delete-recording@{spec}"])


@pytest.mark.parametrize(
    "at", ["99999999999y", "9" * 5000 + "d", 10**5000, 365_001], ids=["y", "digits", "int", "days"]
)
def test_a_query_time_over_1000_years_is_a_request_error(at):
    with pytest.raises(tracer.RequestError, match="too long"):
        tracer.trace(MODEL, "dominos-order", at=at)


def test_an_empty_time_after_the_at_sign_is_an_error_not_day_0():
    with pytest.raises(tracer.RequestError) as caught:
        tracer.trace(MODEL, "dominos-order", ["delete-recording@"])
    assert str(caught.value) == (
        "'delete-recording@' has no time after the @: write delete-recording@30d, "
        "or delete-recording alone for day 0"
    )


@pytest.mark.parametrize("text", ["٣d", "３d", "30 d", "-3d", "3.5d", "d", ""])
def test_only_ascii_digits_and_a_unit_make_a_duration(text):
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_a_request_object_is_bounded_like_a_time_given_as_text():
    with pytest.raises(tracer.RequestError, match="too long"):
        tracer.trace(MODEL, "dominos-order", [tracer.Request("delete-recording", 10**9)])
    result = tracer.trace(MODEL, "dominos-order", [tracer.Request("delete-recording", 30)])
    assert result.requests == (tracer.Request("delete-recording", 30),)
