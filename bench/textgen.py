"""Cheap, varied, seeded text for the benchmark's corpus: titles, transcripts, digests.

Everyday words are drawn from a Zipf distribution over real English or French words
followed by a long tail of invented ones, so that, as in real transcripts, a few words
are everywhere and most are rare; technical words are each the subject of a few
documents only (see Language). Transcripts are assembled from pools of pre-made
sentences, which keeps 600 million words of text within minutes.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect

EN_COMMON = """
the a and of to in is it that for on with as we was this you are be at by have from or
they but not what all were when can there an which their if has will one about more so
do out up them some would into time like just our how then also people think really know
going right thing things actually lot way because now well very much where those
interview episode guest host podcast listeners question answer story history future
problem problems solution solutions idea ideas example examples reason reasons point
company companies industry year years week month today yesterday tomorrow number numbers
percent million billion cost costs price performance efficient efficiency faster slower
better worse bigger smaller important interesting difficult simple complex different
new old first last next early late big small good great hard easy fast slow high low
build building built ship shipping shipped release released write writing written read
reading measure measuring measured improve improving improved change changing changed
learn learning learned run running runs ran work working worked use using used
design designing designed test tested fail failing failed fix fixing fixed start started
""".split()

EN_TECH = """
model models data training inference latency throughput benchmark benchmarks accuracy
cloud server servers kubernetes container containers cluster clusters database databases
postgres query queries index cache caching redis python rust golang javascript typescript
compiler compilers runtime memory allocation garbage collector thread threads async await
network networking protocol packet packets router bandwidth fiber wireless spectrum
security vulnerability vulnerabilities exploit exploits patch patches attacker attackers
encryption cryptography password passwords authentication token tokens malware ransomware
phishing firewall breach breaches privacy surveillance regulation regulators policy
bitcoin ethereum blockchain wallet wallets exchange exchanges stablecoin mining validator
startup startups founder founders funding investors valuation revenue pricing customers
product products launch roadmap hiring engineers engineering team teams culture remote
chip chips semiconductor silicon transistor fabrication foundry gpu gpus cpu cpus
accelerator accelerators battery batteries sensor sensors robot robots robotics drone
quantum qubit qubits physics climate energy solar grid carbon emissions research paper
open source license licenses maintainer maintainers contributor community governance
browser browsers web standard standards api apis developer developers framework frameworks
testing tests deployment deploy pipeline pipelines observability monitoring logging
incident outage outages reliability scaling scale migration migrations architecture
microservices monolith serverless edge latency storage disk disks filesystem backup
language languages transformer transformers attention embedding embeddings vector
vectors retrieval search ranking recommendation fine tuning reinforcement learning agent
agents reasoning hallucination evaluation dataset datasets labeling synthetic
smartphone smartphones android ios apple google microsoft amazon meta nvidia intel amd
linux windows kernel driver drivers firmware hardware software virtualization hypervisor
satellite satellites rocket launchers spacecraft orbit telescope biology genome protein
healthcare hospital diagnosis imaging privacy consent antitrust competition lawsuit court
election misinformation moderation platform platforms creator creators subscription ads
advertising marketplace payments fintech bank banks lending inflation market markets
""".split()

FR_COMMON = """
le la les de des du un une et est en que qui dans pour pas sur au avec ce il elle on nous
vous ils sont plus par mais comme tout fait être avoir cette aussi très bien alors donc
entretien épisode performance invité animateur auditeurs question réponse histoire avenir
problème solution idée
exemple raison entreprise industrie année semaine mois aujourd'hui hier demain nombre
pourcentage million milliard coût efficace rapide lent meilleur pire grand petit
important intéressant difficile simple complexe différent nouveau ancien premier dernier
construire livrer publier écrire lire mesurer améliorer changer apprendre utiliser
concevoir tester échouer corriger commencer données personnelles éthique souveraineté
""".split()

FR_TECH = """
serveur serveurs conteneur grappe base requête index cache mémoire réseau protocole
sécurité vulnérabilité faille failles attaque attaquant chiffrement cryptographie mot
passe authentification jeton logiciel malveillant rançongiciel hameçonnage pare-feu
fuite vie privée surveillance réglementation régulateur politique européenne loi
bitcoin ethereum chaîne blocs portefeuille plateforme échange minage validateur
jeune pousse fondateur fondatrice financement investisseurs valorisation revenu prix
clients produit lancement feuille route embauche ingénieurs équipe culture télétravail
puce puces semi-conducteur silicium transistor fonderie processeur accélérateur batterie
capteur robot robotique drone quantique physique climat énergie solaire réseau carbone
recherche article libre licence mainteneur contributeur communauté gouvernance
navigateur standard développeur développeuse cadriciel essais déploiement chaîne
supervision journalisation incident panne fiabilité montée charge migration architecture
stockage disque sauvegarde langage transformeur attention plongement vecteur recherche
classement recommandation apprentissage renforcement agent raisonnement hallucination
évaluation jeu étiquetage synthétique téléphone noyau pilote matériel virtualisation
satellite fusée orbite télescope biologie génome protéine santé hôpital diagnostic
imagerie consentement concurrence procès tribunal élection désinformation modération
créateur abonnement publicité paiement banque prêt inflation marché modèle modèles données
entraînement inférence latence débit précision nuage
""".split()

EN_SYLLABLES = "ka ro ven tel dor mi sa lun qua zer pho nix tra bel cor dan fi gor lis mon".split()
FR_SYLLABLES = "ré ma lé ton vi chè pa rou ga mé li sé no bé tu qué fo dé ja zo".split()

TITLE_PATTERNS_EN = [
    "{A} {n1} and the future of {n2}",
    "Why {n1} is harder than it looks",
    "Inside the {n1} behind {n2}",
    "{A} {n1}: what {n2} teams learned",
    "The {n1} problem nobody talks about",
    "How {n2} changed {n1}",
    "{A} lessons from a decade of {n1}",
    "Can {n1} fix {n2}?",
    "From {n1} to {n2} in one year",
    "What {n1} means for {n2}",
]
TITLE_PATTERNS_FR = [
    "{n1} et l'avenir de la {n2}",
    "Pourquoi la {n1} est plus difficile qu'il n'y paraît",
    "Dans les coulisses de la {n1}",
    "Ce que la {n1} change pour la {n2}",
    "{n1} : les leçons d'une décennie",
]
ADJECTIVES_EN = "Open Fast Secure Quiet Hidden Real Small Local Cheap Better New Old".split()


def _tail(syllables: list[str], count: int, rng: random.Random) -> list[str]:
    words = set()
    for length in itertools.cycle([2, 3, 3, 4]):
        words.add("".join(rng.choice(syllables) for _ in range(length)))
        if len(words) >= count:
            return sorted(words)


class Language:
    """Sentences of everyday talk, and sentences about each technical word.

    A real transcript talks about a few subjects: its technical words are few and
    repeated, and most of the corpus never says them. Here each document has a handful
    of focus words (mostly from its topic's share of the technical vocabulary) and
    about a third of its sentences come from the pools of those words, so a technical
    term matches a few percent of the articles, as it would on a real news site.
    """

    def __init__(self, common, tech, syllables, rng: random.Random, pool: int, groups: int):
        # Everyday words first (the frequent ones), then an invented long tail.
        vocabulary = list(dict.fromkeys(common)) + _tail(syllables, 6000, rng)
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))]
        self.vocabulary = vocabulary
        self._cumulative = list(itertools.accumulate(weights))
        self._total = self._cumulative[-1]
        self.sentences = [self._sentence(rng) for _ in range(pool)]
        self.tech = [w for w in dict.fromkeys(tech) if len(w) > 2]
        # Each topic's share of the technical words: a run of neighbours in the list,
        # which is written subject by subject.
        size = -(-len(self.tech) // groups)
        self.groups = [self.tech[i * size : (i + 1) * size] or self.tech for i in range(groups)]
        self.about = {word: [self._sentence(rng, word) for _ in range(40)] for word in self.tech}

    def words(self, rng: random.Random, count: int) -> list[str]:
        cumulative, total, vocabulary = self._cumulative, self._total, self.vocabulary
        return [vocabulary[bisect(cumulative, rng.random() * total)] for _ in range(count)]

    def _sentence(self, rng: random.Random, about: str = "") -> str:
        words = self.words(rng, rng.randint(6, 24))
        if about:
            for _ in range(rng.randint(1, 2)):
                words.insert(rng.randrange(len(words) + 1), about)
        return " ".join(words).capitalize() + "."

    def focus(self, rng: random.Random, group: int) -> list[str]:
        own = self.groups[group % len(self.groups)]
        return rng.sample(own, min(5, len(own))) + rng.sample(self.tech, 2)


class TextGenerator:
    def __init__(self, seed: int = 1, pool: int = 30_000, groups: int = 12):
        rng = random.Random(seed)
        self.languages = {
            "en": Language(EN_COMMON, EN_TECH, EN_SYLLABLES, rng, pool, groups),
            "fr": Language(FR_COMMON, FR_TECH, FR_SYLLABLES, rng, pool // 3, groups),
        }

    def focus(self, rng: random.Random, language: str, group: int) -> list[str]:
        """The technical words one document is about (its topic's, and two others)."""
        return self.languages[language].focus(rng, group)

    def sentence(self, rng: random.Random, language: str, focus=(), share: float = 0.35) -> str:
        lang = self.languages[language]
        if focus and rng.random() < share:
            return rng.choice(lang.about[rng.choice(focus)])
        return rng.choice(lang.sentences)

    def sentences(self, rng: random.Random, language: str, count: int, focus=()) -> str:
        return " ".join(self.sentence(rng, language, focus, share=0.6) for _ in range(count))

    def tech_word(self, rng: random.Random, language: str) -> str:
        return rng.choice(self.languages[language].tech)

    def title(self, rng: random.Random, language: str, focus=()) -> str:
        pick = focus or self.languages[language].tech
        n1, n2 = rng.choice(pick), rng.choice(pick)
        if language == "fr":
            return rng.choice(TITLE_PATTERNS_FR).format(n1=n1, n2=n2).capitalize()
        pattern = rng.choice(TITLE_PATTERNS_EN)
        return pattern.format(A=rng.choice(ADJECTIVES_EN), n1=n1, n2=n2)

    def segments(self, rng: random.Random, language: str, words: int, speakers, focus=()):
        """Timed transcript segments of about `words` words (150 words a minute)."""
        segments, total, t = [], 0, 0.0
        speaker = speakers[0]
        while total < words:
            text = " ".join(self.sentence(rng, language, focus) for _ in range(rng.randint(1, 3)))
            count = text.count(" ") + 1
            end = round(t + count / 2.5, 2)
            if rng.random() < 0.3:
                speaker = rng.choice(speakers)
            segments.append({"start": round(t, 2), "end": end, "speaker": speaker, "text": text})
            total += count
            t = end
        return segments, total
