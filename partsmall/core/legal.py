"""Versions of the legal texts a person agrees to (个人信息保护法 consent records them)."""

PRIVACY_POLICY_VERSION = "2026-11-01"
USER_AGREEMENT_VERSION = "2026-11-01"
