"""What happened in the domains, for the packages that act on it without the domain knowing them.

A domain sends a signal from the step that made it happen. Receivers run there and then, in the
step's transaction (a rollback undoes what they wrote), and must do nothing more when the same
sender is sent again: steps are replayed. The sender is the record it happened to; keyword
arguments carry the organizations, the day it happened (`on`), the user who took the step (`by`)
and the programme or event to credit (`programme`). The enablement ledger subscribes to every one
(`app/stats/subscriptions.py`).
"""

from blinker import Namespace

_domain = Namespace()

#: A confirmed participant was let in. Sender: the event; `firm`, `on` (the event's local date),
#: `programme`, `by`.
attendee_checked_in = _domain.signal("attendee-checked-in")

#: A side of an event meeting recorded its outcome, so the meeting was held; sent again when the
#: other side records theirs. Sender: the meeting; `firms` (both sides), `on`, `programme`, `by`.
meeting_held = _domain.signal("meeting-held")

#: A side of an event meeting recorded a deal. Sender: the meeting; `firm` (the side enabled),
#: `provider` (the side that enabled it), `on`, `programme`, `by`.
meeting_deal_recorded = _domain.signal("meeting-deal-recorded")

#: Both sides of an inquiry confirmed its deal. Sender: the inquiry; `firm` (the enterprise),
#: `provider`, `on`, `by`.
deal_confirmed = _domain.signal("deal-confirmed")

#: A pilot call's list is final. Sender: the call; `selected` (its listed applications, each with
#: its `organization`), `on`, `programme`, `by`, `demo`. A receiver that counts firms returns how
#: many it had not counted before, and the sender reports the total.
pilot_list_published = _domain.signal("pilot-list-published")

#: An incubation track certified a firm. Sender: the enrolment; `firm`, `on`, `programme` (the
#: track), `by`.
firm_certified = _domain.signal("firm-certified")
