"""The offline app's scheduled work."""

from django_tasks import task

from integrapsy.offline.services import idempotency_keys_prune


@task()
def prune_idempotency_keys() -> int:
    """Forget the answers kept for replays once no phone can still send them: the number deleted."""
    return idempotency_keys_prune()
