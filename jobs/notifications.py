"""E-mail to the other side of an order when something happens to it: submitted, accepted,
changes proposed, declined, cancelled, a message. Sent through the tasks framework, after the
change is committed, to people who have not turned these e-mails off."""

from jobs.models import OrderEvent, OrderMessage


def order_event_recorded(event_id: int) -> None:
    """Tell the other side about an order event. (Filled in with the notifications work.)"""
    OrderEvent.objects.filter(pk=event_id).exists()


def message_posted(message_id: int) -> None:
    """Tell the other side about a new message. (Filled in with the notifications work.)"""
    OrderMessage.objects.filter(pk=message_id).exists()
