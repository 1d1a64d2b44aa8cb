"""Fill a fresh database with the patient guide (education/seed/botox-migraine-guide.txt).

One section per heading of the guide, in Markdown. The text is the seed's, with its typo
"Migration outcomes" mended to "Migraine outcomes". The text is kept here, frozen, so the
migration gives the same result whatever the seed file becomes later.
"""

from django.db import migrations

SECTIONS = [
    {
        "slug": "introduction",
        "title": "An introduction to Botox for migraine relief",
        "summary": "What Botox is, and why it is used to prevent chronic migraine.",
        "body": """\
Botox, commonly known for its cosmetic use in smoothing wrinkles, has been extensively researched for its therapeutic effects on chronic migraines. When administered correctly, Botox can act on muscles that contribute to migraine pain and interfere with pain signal transmission within the nervous system. This dual action provides an effective approach to managing migraines that have been resistant to conventional therapies.

Since its FDA approval for chronic migraine treatment, medical professionals have observed significant reductions in migraine frequency for many patients. This breakthrough offers hope to those who have struggled with debilitating headaches for years without relief. But the journey with Botox involves understanding the detailed process, potential side effects, and expected outcomes.
""",
    },
    {
        "slug": "how-botox-works",
        "title": "How Botox works on migraine",
        "summary": "The two ways Botox reduces migraine: relaxing muscles and calming pain signals.",
        "body": """\
The mechanism by which Botox relieves migraines involves two key processes. Firstly, Botox relaxes hyperactive muscles around the head, neck, and shoulders that may contribute to tension and pain. Secondly, it inhibits the release of certain chemicals involved in transmitting pain signals within the nervous system. This results in a decreased overall perception of pain and a reduction in the frequency and intensity of migraine attacks.

Research indicates that Botox's ability to modulate nerve activity leads to improved nerve function and nerve pain attenuation. It is particularly effective in patients with chronic migraines, defined as experiencing headaches on 15 or more days per month for over three months, with at least eight days having migrainous features.
""",
    },
    {
        "slug": "what-to-expect",
        "title": "What to expect from your treatment",
        "summary": "Preparation, how many sessions and injections, the procedure, after treatment and follow-up.",
        "body": """\
## Preparation and consultation

Prior to the procedure, you will undergo a comprehensive medical assessment. Your healthcare provider will discuss your migraine history, current treatment regimen, and suitability for Botox therapy. It’s vital to be honest about your medical background, including allergies or previous reactions to similar treatments.

## Number of sessions and injections

Typically, patients will require multiple treatment sessions, spaced about 12 weeks apart, to maintain optimal benefits. Each session involves approximately 31 injections strategically placed around the head and neck, targeting specific muscle groups known to be involved in migraine pathogenesis. The injection sites include areas around your forehead, temples, back of the head, neck, and shoulders.

## The injection procedure

The procedure is brief, generally lasting around 15 minutes. You will feel minor pricks at each injection site. The injections around the eyebrows and forehead tend to be more sensitive, but overall discomfort is minimal. Your practitioner will follow a strict injection protocol to ensure safety and maximize effectiveness.

## After treatment

Immediately following the first session, some patients might experience an increase in headache or migraine attacks. These symptoms are usually temporary and manageable. Common side effects may include soreness, swelling, or minor bruising at injection sites. Some individuals report fatigue, neck stiffness, or nerve pain as transient effects.

## Monitoring and follow-up

It’s essential to maintain ongoing communication with your healthcare provider. Your progress will be monitored through headache diaries to record frequency, duration, and severity of migraines. Adjustments to the injection sites or frequency may be recommended based on your response.
""",
    },
    {
        "slug": "side-effects",
        "title": "Side effects and risks",
        "summary": "Common, usually mild side effects, and the rare ones that need urgent care.",
        "body": """\
While Botox therapy is considered safe when administered by a qualified clinician, some side effects can occur. These may include localized pain at injection sites, weakness in nearby muscles, eyelid drooping, or flu-like symptoms. Rarely, patients may experience difficulty swallowing or breathing if the toxin spreads beyond targeted muscles. It’s crucial to discuss all possible risks with your doctor and ensure the procedure is performed in a clinical setting by an experienced professional.

**If you have difficulty swallowing, speaking or breathing after a treatment session, seek urgent medical care at once: call 999 or go to A&E.**
""",
    },
    {
        "slug": "expected-results",
        "title": "Expected results and how they vary",
        "summary": "Many people notice improvement within 2 to 3 treatment cycles; some need longer, and some do not benefit.",
        "body": """\
Migraine outcomes vary among individuals. Some patients notice significant improvements within the first 2 to 3 treatment cycles, experiencing fewer and less severe migraines. Others might require additional sessions before experiencing noticeable benefits. It’s common for some patients to see no improvement after multiple sessions, in which case alternative treatments should be considered. Patience and regular follow-up are key to determining whether Botox is suitable for your migraine management plan.

Most importantly, understanding that Botox is not a cure but a preventive therapy helps set realistic expectations. Maintenance sessions are necessary to sustain benefits, and combining Botox with other medical or lifestyle interventions often yields the best results.
""",
    },
    {
        "slug": "summary",
        "title": "In summary",
        "summary": "The main points of the guide in one paragraph.",
        "body": """\
In summary, Botox therapy for chronic migraines offers a promising option for many sufferers. With proper preparation, experienced administration, and ongoing monitoring, many patients achieve significant relief, improved quality of life, and fewer migraine days each month. Educating yourself about every aspect of the treatment process and potential side effects ensures a safer and more effective journey toward relief.
""",
    },
]


def seed_guide(apps, schema_editor):
    # The historical model has no custom save(), so the HTML is rendered here, once.
    from django.utils import timezone

    from education.rendering import render_markdown

    Section = apps.get_model("education", "Section")
    HistoricalSection = apps.get_model("education", "HistoricalSection")
    for order, data in enumerate(SECTIONS, start=1):
        section, _ = Section.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "body": data["body"].strip(),
                "body_html": render_markdown(data["body"].strip()),
                "order": order * 10,
                "is_published": True,
            },
        )
        # The first version in the history, so that an editor can always go back to it.
        HistoricalSection.objects.create(
            id=section.id,
            title=section.title,
            slug=section.slug,
            summary=section.summary,
            body=section.body,
            order=section.order,
            is_published=section.is_published,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Seeded from the patient guide",
        )


def unseed_guide(apps, schema_editor):
    Section = apps.get_model("education", "Section")
    Section.objects.filter(slug__in=[data["slug"] for data in SECTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(seed_guide, unseed_guide)]
