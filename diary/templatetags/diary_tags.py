"""{% usual_medicines %}: the profile page's list of the patient's usual medicines and its form.

The profile page belongs to accounts, the medicines to the diary: the page draws this part
with the diary's tag, so accounts needs no diary code.
"""

from django import template

from diary.forms import MedicineForm

register = template.Library()


@register.inclusion_tag("diary/_usual_medicines.html", takes_context=True)
def usual_medicines(context):
    request = context["request"]
    form = context.get("medicine_form") or MedicineForm(patient=request.user)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "medicine_form": form,
        "medicines": list(request.user.medicines.all()),
    }
