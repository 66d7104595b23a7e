"""The weekly follow-up reminder: content, exactly once per week, retry after a failure, real SMTP on loopback."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from recommendations.models import ReminderDelivery
from recommendations.reminders import reminders_send_weekly
from recommendations.tasks import send_follow_up_reminders
from tests.factories import AssessmentFactory, InstitutionFactory, RecommendationFactory, StateFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2020, 6, 29)


@pytest.fixture
def overdue():
    odihr = InstitutionFactory(slug="odihr", name="ODIHR", reminder_email="odihr-followup@example.org")
    rfom = InstitutionFactory(slug="rfom", name="RFoM", reminder_email="rfom-followup@example.org")
    austria = StateFactory(code="AT", name="Austria")
    late = RecommendationFactory(code="ODIHR-AT-2012-1", institution=odihr, state=austria, source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=late, rating="partially", assessed_on=D(2017, 1, 1), verified=True)
    RecommendationFactory(code="ODIHR-AT-2019-1", institution=odihr, state=austria, source_date=D(2019, 3, 1))
    done = RecommendationFactory(code="RFOM-AT-2012-1", institution=rfom, state=austria, source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=done, rating="fully", assessed_on=D(2014, 1, 1), verified=True)
    return odihr


def test_reminder_lists_only_the_institutions_overdue_recommendations(overdue, mailoutbox):
    assert reminders_send_weekly(today=MONDAY) == ["odihr"]
    [message] = mailoutbox
    assert message.to == ["odihr-followup@example.org"]
    assert "1 overdue recommendation" in message.subject
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "ODIHR-AT-2012-1" in part and "ODIHR-AT-2019-1" not in part


def test_running_again_the_same_week_sends_nothing(overdue, mailoutbox):
    reminders_send_weekly(today=MONDAY)
    assert reminders_send_weekly(today=MONDAY + datetime.timedelta(days=3)) == []
    assert len(mailoutbox) == 1


def test_next_week_sends_again(overdue, mailoutbox):
    reminders_send_weekly(today=MONDAY)
    reminders_send_weekly(today=MONDAY + datetime.timedelta(days=7))
    assert len(mailoutbox) == 2


def test_a_failed_send_is_retried_by_the_next_run(overdue, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.recommendations.test_reminders.FailingBackend"
    assert reminders_send_weekly(today=MONDAY) == []
    assert ReminderDelivery.objects.get().status == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_send_weekly(today=MONDAY) == ["odihr"]
    delivery = ReminderDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_institution_without_an_address_uses_the_setting(overdue, mailoutbox, settings):
    overdue.reminder_email = ""
    overdue.save()
    settings.FOLLOW_UP_REMINDER_TO = "followup@example.org"
    reminders_send_weekly(today=MONDAY)
    assert mailoutbox[0].to == ["followup@example.org"]


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


class Collector:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield handler
    controller.stop()


@pytest.mark.integration
def test_task_sends_exactly_once_per_week_through_a_real_smtp_server(overdue, smtp_server, time_machine):
    time_machine.move_to(datetime.datetime(2020, 6, 29, 6, 30, tzinfo=datetime.UTC))
    send_follow_up_reminders.apply()
    send_follow_up_reminders.apply()
    time_machine.move_to(datetime.datetime(2020, 7, 2, 6, 30, tzinfo=datetime.UTC))
    send_follow_up_reminders.apply()
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["odihr-followup@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert "ODIHR-AT-2012-1" in message.get_body(("plain",)).get_content()
    assert "ODIHR-AT-2012-1" in message.get_body(("html",)).get_content()
