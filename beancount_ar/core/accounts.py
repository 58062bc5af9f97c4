"""Which customer owns a receivable account: looked up once per account, then cached."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

NO_CUSTOMER = ""  # a receivable account that belongs to no customer (AR002)


class AccountOwners(dict[str, "str | None"]):
    """Maps accounts to customer ids, cached: every posting asks.

    `owners[account]` is the owner's id, NO_CUSTOMER for a receivable account
    that belongs to no customer, None for any other account. A dict so that a
    known account costs one C-level lookup on the hot path.
    """

    def __init__(self, root: str, owners: Mapping[str, str]) -> None:
        """Accounts below `root` belong to the customer owning them or an ancestor."""
        super().__init__()
        self.root = root
        self.prefix = root + ":"
        self.owners = owners

    def __missing__(self, account: str) -> str | None:
        """Work out an account's owner the first time it is asked."""
        owner = self[account] = self._find(account)
        return owner

    def __call__(self, account: str) -> str | None:
        """The same as `owners[account]`."""
        return self[account]

    def _find(self, account: str) -> str | None:
        if account != self.root and not account.startswith(self.prefix):
            return None
        parent = account
        while parent.startswith(self.prefix):
            if parent in self.owners:
                return self.owners[parent]
            parent = parent.rpartition(":")[0]
        return NO_CUSTOMER
