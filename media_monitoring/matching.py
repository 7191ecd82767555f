"""Topic matching (owned by the matching work; signatures are the contract)."""


def items_match(*, items, topics=None):
    raise NotImplementedError
