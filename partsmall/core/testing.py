"""Helpers for tests and demo data: valid identity numbers made from a sequence number."""

from stdnum.cn import uscc

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    total = sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_credit_code(n: int, *, region: str = "110105") -> str:
    """A valid 统一社会信用代码 for the n-th made-up company (91 = enterprise)."""
    body = f"{n % 100_000_000:08d}"
    first17 = f"91{region}{body}{_org_code_check(body)}"
    code = first17 + uscc.calc_check_digit(first17)
    return uscc.validate(code)


def make_mobile(n: int) -> str:
    """A valid mainland mobile number (139 prefix) for the n-th made-up person."""
    return f"139{n % 100_000_000:08d}"
