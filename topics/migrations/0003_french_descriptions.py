"""French descriptions for the starting topics (0002 created them in English only).

Only a description an editor has not touched is filled: a French one already written
stays, and so does an English one rewritten since (its French would not match it)."""

from django.db import migrations

# The descriptions as this migration fills them, written out here (a migration carries
# its own data).
DEFAULT_TOPICS = [{'slug': 'ai',
  'description': 'Machine learning, language models, agents and the companies building '
                 'them.',
  'description_fr': 'Apprentissage automatique, modèles de langage, agents et les '
                    'entreprises qui les conçoivent.'},
 {'slug': 'crypto',
  'description': 'Bitcoin, Ethereum, stablecoins, DeFi and the rules around them.',
  'description_fr': 'Bitcoin, Ethereum, stablecoins, DeFi et les règles qui les '
                    'encadrent.'},
 {'slug': 'cloud',
  'description': 'Cloud platforms, infrastructure, databases, DevOps and open source.',
  'description_fr': 'Plateformes cloud, infrastructure, bases de données, DevOps et '
                    'logiciel libre.'},
 {'slug': 'security',
  'description': 'Breaches, vulnerabilities, privacy and defence.',
  'description_fr': 'Fuites de données, failles, vie privée et défense.'},
 {'slug': 'hardware',
  'description': 'Chips, devices, phones, computers and the factories that make them.',
  'description_fr': 'Puces, appareils, téléphones, ordinateurs et les usines qui les '
                    'fabriquent.'},
 {'slug': 'startups',
  'description': 'Founders, funding rounds, acquisitions and the business of tech.',
  'description_fr': 'Fondateurs, levées de fonds, rachats et l’économie de la tech.'},
 {'slug': 'science',
  'description': 'Space, energy, biology and research where it meets technology.',
  'description_fr': 'Espace, énergie, biologie et la recherche là où elle rejoint la '
                    'technologie.'},
 {'slug': 'policy',
  'description': 'Regulation, antitrust, courts and governments shaping technology.',
  'description_fr': 'Réglementation, concurrence, tribunaux et gouvernements qui '
                    'façonnent la technologie.'}]


def fill_french_descriptions(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    for item in DEFAULT_TOPICS:
        Topic.objects.filter(
            slug=item["slug"], description_en=item["description"], description_fr=""
        ).update(description_fr=item["description_fr"])


def clear_french_descriptions(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    for item in DEFAULT_TOPICS:
        Topic.objects.filter(slug=item["slug"], description_fr=item["description_fr"]).update(
            description_fr=""
        )


class Migration(migrations.Migration):
    dependencies = [("topics", "0002_default_topics")]

    operations = [migrations.RunPython(fill_french_descriptions, clear_french_descriptions)]
