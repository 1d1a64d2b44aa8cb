"""What the diary tells other apps."""

from django.dispatch import Signal

# Sent by services.diary_changed(patient) after any change to a patient's diary: an attack, a
# mark, a session, a side effect, a MIDAS answer, the reported baseline or a clinician's note.
diary_changed = Signal()
