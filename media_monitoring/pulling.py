"""Pulling sources (owned by the pulling work; signatures are the contract)."""

from dataclasses import dataclass


@dataclass
class PullResult:
    new: int = 0
    seen: int = 0
    not_modified: bool = False
    error: str = ""


def sources_claim_due(*, now=None) -> list[int]:
    raise NotImplementedError


def source_pull(*, source_id: int) -> PullResult:
    raise NotImplementedError
