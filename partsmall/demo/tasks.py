from celery import shared_task


@shared_task(name="partsmall.ping")
def ping() -> str:
    """Answers "pong": proves a worker consumes the queue (celery -A partsmall call partsmall.ping)."""
    return "pong"
