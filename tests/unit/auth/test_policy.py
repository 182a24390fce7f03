"""Password and username rules, and the lockout schedule."""

from __future__ import annotations

import pytest

from commandroom.auth.policy import (
    LockoutPolicy,
    PolicyError,
    check_password,
    check_username,
)


def test_password_minimum_length_is_8() -> None:
    check_password("12345678")
    with pytest.raises(PolicyError, match="at least 8 characters"):
        check_password("1234567")


def test_password_must_not_be_the_username() -> None:
    with pytest.raises(PolicyError, match="username"):
        check_password("Officer1", "officer1")


@pytest.mark.parametrize("name", ["admin", "li.wei", "duty_2", "a-b", "x" * 64])
def test_good_usernames(name: str) -> None:
    assert check_username(name.upper()) == name


@pytest.mark.parametrize("name", ["", " ", "li wei", ".hidden", "x" * 65, "李伟", "a/b"])
def test_bad_usernames(name: str) -> None:
    with pytest.raises(PolicyError, match="username must be"):
        check_username(name)


def test_lock_schedule() -> None:
    policy = LockoutPolicy()
    assert [policy.lock_seconds(n) for n in range(0, 10)] == [
        0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert policy.lock_seconds(10_000) == 900
