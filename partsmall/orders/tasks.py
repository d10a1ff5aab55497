"""Background work of orders. Beat runs `orders.timeouts_run` every minute (settings)."""

from celery import shared_task

from partsmall.orders.services.timeouts import timeouts_run as run_timeouts


@shared_task(name="orders.timeouts_run", acks_late=True)
def timeouts_run() -> dict[str, int]:
    """Closes unpaid orders, completes delivered ones, expires unapproved checkouts.
    Idempotent: a second run at the same moment finds nothing left to move."""
    return run_timeouts()
