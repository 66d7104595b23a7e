"""One workflow step on one row: lock it, re-check its state and version, write only what changed.

Shared by every model with a review workflow (reports now; anything else reviewed the same way later).
A step is one transaction: call `lock_for_step` inside `transaction.atomic()`, change the instance,
then `save_step` with the names of the fields the step changed and the reason the history records.
A new row is saved with `save_created`.
"""

import hashlib
from collections.abc import Collection, Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)


class StaleVersion(Exception):
    """The caller acted on an older version of the row than the one stored (a failed `If-Match`)."""


def version_tag(obj: models.Model) -> str:
    """A strong entity tag of the row's current version; it changes with every save (`updated_at`)."""
    raw = f"{obj._meta.label}:{obj.pk}:{obj.updated_at.isoformat()}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def version_matches(obj: models.Model, if_match: Iterable[str]) -> bool:
    """RFC 9110 `If-Match`: `*` or any listed strong tag equal to the current one (weak tags never match)."""
    tags = [tag.strip() for tag in if_match]
    return "*" in tags or version_tag(obj) in tags


def lock_for_step(
    model: type[M],
    *,
    pk,
    allowed: Collection[str],
    action: str,
    if_match: Iterable[str] | None = None,
    status_field: str = "status",
) -> M:
    """The row, locked until the transaction ends, after checking the caller's version and its status.

    Raises `model.DoesNotExist`, `StaleVersion`, or a `ValidationError` naming the status field.
    """
    obj = model._default_manager.select_for_update().get(pk=pk)
    if if_match is not None and not version_matches(obj, if_match):
        raise StaleVersion(f"{model._meta.verbose_name.capitalize()} #{pk} changed since you read it.")
    status = getattr(obj, status_field)
    if status not in allowed:
        raise ValidationError(
            {
                status_field: f"Cannot {action} a {model._meta.verbose_name} that is {status}; "
                f"it must be {' or '.join(allowed)}."
            }
        )
    return obj


# simple-history's `history_change_reason` column is a varchar(100).
HISTORY_REASON_MAX_LENGTH = 100


def history_reason(step: str, why: str = "") -> str:
    """What the history row says about a step: `submitted`, `rejected: <why>` (on one line, cut to fit)."""
    text = f"{step}: {' '.join(why.split())}" if why.strip() else step
    if len(text) <= HISTORY_REASON_MAX_LENGTH:
        return text
    return text[: HISTORY_REASON_MAX_LENGTH - 1] + "…"


def save_created(obj: models.Model, *, user) -> None:
    """Validate and insert a new row; its first history row says `created` and names `user`."""
    obj._history_user = user
    obj._change_reason = history_reason("created")
    obj.full_clean()
    obj.save()


def save_step(obj: models.Model, *, fields: Iterable[str], user=None, reason: str) -> None:
    """Validate the whole row, then write only `fields` (and `updated_at`, so the version moves on).

    `reason` (from `history_reason`) is recorded in the history row of this step.
    """
    obj._history_user = user
    obj._change_reason = reason
    obj.full_clean()
    obj.save(update_fields=sorted({*fields, "updated_at"}))
