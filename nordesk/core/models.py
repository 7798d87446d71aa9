from django.db import models
from django.utils import timezone


class TimeStamped(models.Model):
    """Plain fields, not auto_now: imports and history keep their real times, and services
    set `updated_at` when they change a row."""

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
