"""The weekly staff reminder: per institution, its overdue recommendations, exactly once per ISO week.

Claim before sending (as the scorecard digests do): a ReminderDelivery row unique per (institution, week)
is inserted and committed first; a second run or a second worker finds it and sends nothing. A failed
send leaves the row `failed`, and the next run re-claims it with a conditional UPDATE that must change
exactly one row.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Institution, ReminderDelivery, ReminderStatus
from .selectors import recommendation_overdue_for_institution

logger = logging.getLogger(__name__)


def week_of(day: datetime.date) -> datetime.date:
    """Monday of the ISO week containing the day."""
    return day - datetime.timedelta(days=day.weekday())


def reminder_message(*, institution: Institution, to: str, overdue, week: datetime.date) -> EmailMultiAlternatives:
    context = {"institution": institution, "overdue": overdue, "week": week, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string("emails/followup-reminder-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("emails/followup-reminder-body.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("emails/followup-reminder-body.html", context), "text/html")
    return message


def _claim(*, institution: Institution, week: datetime.date, to: str, count: int) -> ReminderDelivery | None:
    """The delivery row, now ours to send; None if this week's reminder is sent or being sent elsewhere."""
    try:
        with transaction.atomic():
            return ReminderDelivery.objects.create(institution=institution, week=week, to=to, overdue_count=count)
    except IntegrityError:
        pass
    reclaimed = ReminderDelivery.objects.filter(
        institution=institution, week=week, status=ReminderStatus.FAILED
    ).update(status=ReminderStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now(), to=to)
    if reclaimed != 1:
        return None
    return ReminderDelivery.objects.get(institution=institution, week=week)


def reminders_send_weekly(*, today: datetime.date | None = None) -> list[str]:
    """Send this week's reminder to every institution with overdue recommendations. Returns the slugs sent to."""
    today = today or timezone.localdate()
    week = week_of(today)
    sent = []
    for institution in Institution.objects.order_by("slug"):
        to = institution.reminder_email or settings.FOLLOW_UP_REMINDER_TO
        overdue = list(recommendation_overdue_for_institution(institution=institution, today=today))
        if not overdue or not to:
            continue
        delivery = _claim(institution=institution, week=week, to=to, count=len(overdue))
        if delivery is None:
            continue
        try:
            reminder_message(institution=institution, to=to, overdue=overdue, week=week).send()
        except Exception as exc:  # any sending failure: record it, let the next run retry
            ReminderDelivery.objects.filter(pk=delivery.pk).update(status=ReminderStatus.FAILED, error=str(exc))
            logger.error("follow-up reminder to %s (%s) failed: %s", institution.slug, to, exc)
            continue
        ReminderDelivery.objects.filter(pk=delivery.pk).update(
            status=ReminderStatus.SENT, sent_at=timezone.now(), error=""
        )
        sent.append(institution.slug)
    return sent
