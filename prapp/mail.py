"""The embedded mail backend: messages are stored, shown to staff, never sent."""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


class CapturedEmailBackend(BaseEmailBackend):
    """Keeps each outgoing message as a CapturedEmail row instead of sending it."""

    def send_messages(self, email_messages):
        from prapp.models import CapturedEmail

        sent = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            with transaction.atomic():
                CapturedEmail.objects.create(
                    subject=str(message.subject)[:998],
                    from_email=message.from_email or "",
                    to=list(message.to),
                    cc=list(message.cc),
                    bcc=list(message.bcc),
                    body_text=message.body or "",
                    body_html=html,
                    attachment_names=[
                        getattr(a, "filename", None)
                        or (a[0] if isinstance(a, tuple) else "")
                        for a in message.attachments
                    ],
                    raw=message.message().as_string(),
                )
            sent += 1
        return sent
