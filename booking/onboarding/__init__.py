"""The editors' face of booking: open a practitioner page for booking, invite its practitioner,
suspend online booking, revoke access. Every change is a service here that writes the audit log.
"""
