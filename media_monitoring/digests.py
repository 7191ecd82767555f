"""Digests and alerts (owned by the digest work; signatures are the contract)."""


def digests_send_due(*, now=None) -> int:
    raise NotImplementedError


def alerts_send(*, item_ids: list[int]) -> int:
    raise NotImplementedError
