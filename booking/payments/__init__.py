"""Online payment of appointments: Stripe Connect, direct charges on the practitioner's account.

`gateway` is the only module that talks to Stripe (thin, unit-tested against the SDK's request
shapes); `services` holds the state changes (payment start, confirmation by the verified event
or reconciliation, expiry, refunds), `selectors` the reads, `webhooks` the endpoint.
"""
