"""Which customer owns a receivable account: looked up once per account, then cached."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

NO_CUSTOMER = ""  # a receivable account that belongs to no customer (AR002)


class AccountOwners:
    """Maps accounts to customer ids; every posting asks, so answers are cached."""

    def __init__(self, root: str, owners: Mapping[str, str]) -> None:
        """Accounts below `root` belong to the customer owning them or an ancestor."""
        self.root = root
        self.prefix = root + ":"
        self.owners = owners
        self.cache: dict[str, str | None] = {}

    def __call__(self, account: str) -> str | None:
        """The owner's id; NO_CUSTOMER for an unowned receivable account; None for others."""
        try:
            return self.cache[account]
        except KeyError:
            owner = self.cache[account] = self._find(account)
            return owner

    def _find(self, account: str) -> str | None:
        if account != self.root and not account.startswith(self.prefix):
            return None
        parent = account
        while parent.startswith(self.prefix):
            if parent in self.owners:
                return self.owners[parent]
            parent = parent.rpartition(":")[0]
        return NO_CUSTOMER
