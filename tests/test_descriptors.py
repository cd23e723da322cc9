"""The open-file limit: raised as far as allowed, and a word when it stays low."""

from __future__ import annotations

import resource
from collections.abc import Iterator

import pytest

from facilitate.descriptors import LOW, RESERVED, Limit, advice, raise_limit


@pytest.fixture
def low_soft_limit() -> Iterator[tuple[int, int]]:
    """This process's soft limit lowered to 256 for the test (the hard one as it was)."""
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    if before[0] < 256:
        pytest.skip("this process's soft limit is already under 256")
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, before[1]))
    try:
        yield before
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)


def test_when_the_soft_limit_is_under_the_hard_one_then_it_is_raised_to_it(
    low_soft_limit: tuple[int, int],
) -> None:
    _, hard = low_soft_limit
    limit = raise_limit()
    assert limit is not None
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == limit.soft
    if hard == resource.RLIM_INFINITY:
        assert limit.hard is None and limit.soft > 256
    else:
        assert limit == Limit(hard, hard)


def test_when_called_again_then_nothing_changes(low_soft_limit: tuple[int, int]) -> None:
    assert raise_limit() == raise_limit()


def test_when_few_phones_fit_then_the_advice_says_how_many_and_how_to_raise_it() -> None:
    line = advice(Limit(1024, 1024))
    assert line is not None
    assert "1,024" in line and f"about {(1024 - RESERVED) // 2} phones" in line
    assert "LimitNOFILE=" in line and "limits.conf" in line


def test_when_the_limit_is_high_or_there_is_none_then_there_is_no_advice() -> None:
    assert advice(Limit(LOW, LOW)) is None
    assert advice(Limit(LOW, None)) is None
    assert advice(None) is None  # Windows


def test_when_the_limit_is_under_what_the_server_needs_for_itself_then_no_phones_fit() -> None:
    assert Limit(RESERVED, RESERVED).phones == 0
    assert Limit(16, 16).phones == 0
