"""The notification outbox: every message to a person is a row, delivered by a task.

A service calls ``outbox_queue`` in its own transaction; the row is written with the rest
of its work, and delivery is enqueued once that transaction commits. The delivery task
renders the message in the recipient's language, sends it, and retries with back-off.
"""
