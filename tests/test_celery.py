from django.conf import settings
from kombu import Connection

from partsmall.config.celery import app
from partsmall.demo.tasks import ping
from tests._subprocess import run_python

EMBEDDED = "partsmall.config.settings"
PRINT_BROKER = "from django.conf import settings; print(settings.CELERY_BROKER_URL)"


def test_the_celery_app_reads_the_django_settings():
    assert app.main == "partsmall"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.timezone == "Asia/Shanghai"


def test_the_embedded_default_broker_is_a_sqlite_file_under_var(tmp_path):
    result = run_python(PRINT_BROKER, DJANGO_SETTINGS_MODULE=EMBEDDED, PARTSMALL_VAR_DIR=str(tmp_path))

    assert result.stdout.strip() == f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"


def test_with_redis_the_broker_is_redis(tmp_path):
    result = run_python(
        PRINT_BROKER,
        DJANGO_SETTINGS_MODULE=EMBEDDED,
        PARTSMALL_VAR_DIR=str(tmp_path),
        REDIS_URL="redis://cache.internal:6379/0",
    )

    assert result.stdout.strip() == "redis://cache.internal:6379/0"


def test_the_sqlite_broker_carries_a_message(tmp_path):
    with Connection(f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}") as connection:
        queue = connection.SimpleQueue("partsmall-test")
        queue.put({"task": "ping"})
        message = queue.get(timeout=5)
        message.ack()
        queue.close()

    assert message.payload == {"task": "ping"}


def test_tasks_are_discovered_and_run_eagerly_in_tests():
    result = ping.delay()

    assert "partsmall.ping" in app.tasks
    assert app.conf.task_always_eager is True
    assert result.get(timeout=1) == "pong"
