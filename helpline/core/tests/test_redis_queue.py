"""The task queue on Redis, as several machines share it: with HUEY_REDIS_URL the settings give a Redis-backed
Huey, one process queues a task, another runs it, and nothing is left behind in Redis.

Each step runs in its own process with the production settings, against this test's database (committed for
real) and a real redis-server started for the module."""

import pytest
import redis
from django.utils import timezone

from helpline.mail.models import OutboundEmail
from helpline.testsupport.other_process import run_script

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUEUE_DELIVERY = """
import json, sys
import django
django.setup()
from huey.contrib.djhuey import HUEY
from helpline.mail.tasks import deliver_emails_task
deliver_emails_task([int(sys.argv[1])])
print(json.dumps({"huey": type(HUEY).__name__, "pending": HUEY.pending_count()}))
"""

RUN_QUEUED = """
import json
import django
django.setup()
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY
autodiscover_modules("tasks")  # as run_huey does
ran = []
while (task := HUEY.dequeue()) is not None:
    HUEY.execute(task)
    ran.append(task.name)
print(json.dumps({"ran": ran}))
"""


@pytest.fixture
def redis_client(redis_server):
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    yield client
    client.close()


def in_another_process(script: str, *args: str, redis_url: str, data_dir) -> dict:
    """Run ``script`` with the production settings, the queue on ``redis_url``; returns what it printed."""
    return run_script(script, *args, data_dir=data_dir, env={"HUEY_REDIS_URL": redis_url})


def pending_email() -> OutboundEmail:
    return OutboundEmail.objects.create(
        to=["rita@example.test"],
        subject="Queued through Redis",
        body_text="Hello",
        reason="test",
        next_attempt_at=timezone.now(),
    )


def test_one_process_queues_on_redis_and_another_runs_the_task(redis_server, redis_client, tmp_path):
    email = pending_email()
    web, worker = tmp_path / "web", tmp_path / "worker"
    queued = in_another_process(QUEUE_DELIVERY, str(email.pk), redis_url=redis_server.url, data_dir=web)
    assert queued == {"huey": "RedisHuey", "pending": 1}
    assert redis_client.llen("huey.redis.helpline") == 1  # waiting in Redis, not in a local file
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING

    ran = in_another_process(RUN_QUEUED, redis_url=redis_server.url, data_dir=worker)
    assert [name.rsplit(".", 1)[-1] for name in ran["ran"]] == ["deliver_emails_task"]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    sent = list((worker / "sent-mail").iterdir())
    assert len(sent) == 1 and "Queued through Redis" in sent[0].read_text()


def test_tasks_that_ran_leave_no_keys_in_redis(redis_server, redis_client, tmp_path):
    """A task's return value would stay in Redis until read, and nothing reads it: none is stored."""
    emails = [pending_email() for _ in range(3)]
    for email in emails:
        in_another_process(QUEUE_DELIVERY, str(email.pk), redis_url=redis_server.url, data_dir=tmp_path)
    assert redis_client.llen("huey.redis.helpline") == 3
    ran = in_another_process(RUN_QUEUED, redis_url=redis_server.url, data_dir=tmp_path)
    assert len(ran["ran"]) == 3
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 3
    assert redis_client.keys("*") == []
