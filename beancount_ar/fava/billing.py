"""`Bill contracts through today` on the Receivables page: `bean-ar bill` with a preview.

    POST /<slug>/extension/Receivables/bill
      token, file_sha256 (from the page), plan=INV-2026-0007 INV-2026-0008

appends the invoices `beancount_ar.reports.billing.plan_bills` plans through
today, exactly the text `bean-ar bill --through TODAY` appends. The page shows
the plan first (invoice, date, customer, contract, amount; the periods it may
not bill and why), and the confirm button carries its fingerprint: the file's
sha256 and the planned numbers. A preview gone stale (the file changed, or
today plans other invoices) is refused (409), and so is a plan that would add
an AR error to the ledger (400, as `bean-ar bill`), with nothing written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fava.ext import extension_endpoint
from flask import request

from beancount_ar.fava.actions import RefusedError
from beancount_ar.fava.payments import FormWrites, post_only
from beancount_ar.reports.billing import plan_bills

if TYPE_CHECKING:
    from flask.wrappers import Response

    from beancount_ar.reports.billing import Plan


class BillingActions(FormWrites):
    """The page's billing preview and its confirm button."""

    def has_contracts(self) -> bool:
        """Whether the ledger has any `ar-contract` (else the page offers no billing)."""
        return bool(self.receivables.contracts)

    def bill_plan(self) -> Plan:
        """What billing through today would append, kept until the ledger reloads."""
        today = self.clock()
        return self._kept(("bill", today), lambda: plan_bills(  # type: ignore[no-any-return]
            self.receivables, today, self.ledger.all_entries))

    @staticmethod
    def fingerprint(plan: Plan) -> str:
        """The planned invoice numbers, as the confirm button carries them."""
        return " ".join(bill.number for bill in plan.bills)

    def _bill_text(self) -> str:
        plan = self.bill_plan()
        if not plan.bills:
            raise RefusedError(409, f"nothing to bill through {self.clock()}; nothing was "
                               "written")
        if request.form.get("plan", "").split() != self.fingerprint(plan).split():
            raise RefusedError(409, "the plan changed since this preview was shown (now: "
                               f"{self.fingerprint(plan)}); reload the page and look again; "
                               "nothing was written")
        return plan.text(self.receivables.config.invoice_tag)

    @extension_endpoint("bill", ["POST"])  # type: ignore[untyped-decorator, arg-type]
    def bill(self) -> Response:
        """Append the invoices of the preview's plan, then reload."""
        return self.guarded_write(self._bill_text)

    @extension_endpoint("bill", ["GET"])  # type: ignore[untyped-decorator, arg-type]
    def bill_by_get(self) -> Response:
        """A GET bills nothing: 405, POST only."""
        return post_only()
