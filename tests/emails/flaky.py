"""An e-mail backend standing for an SMTP server that fails a given number of times."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

state = {"failures": 0, "calls": 0, "error": None}


def reset(*, failures: int = 0, error: type[Exception] | None = None) -> None:
    state.update(failures=failures, calls=0, error=error)


class FlakyEmailBackend(LocmemBackend):
    def send_messages(self, messages):
        state["calls"] += 1
        if state["calls"] <= state["failures"]:
            error = state["error"]
            if error is smtplib.SMTPRecipientsRefused:
                raise smtplib.SMTPRecipientsRefused(
                    {m.to[0]: (550, b"No such user") for m in messages}
                )
            raise (error or smtplib.SMTPServerDisconnected)("Connection unexpectedly closed")
        return super().send_messages(messages)
