#!/usr/bin/env python3
"""Build the demo corpus: timed transcripts and feeds from hand-written scripts.

Every word of dialogue lives in demo/scripts/<key>.txt, written by hand. This
script only *formats* it: it splits each speaker turn into caption cues of one
to three sentences, gives them realistic timings (about 150 words a minute,
with small pauses between turns), and writes

    demo/transcripts/<file>.vtt | .srt   one per episode that has a transcript
    demo/feeds/<source-slug>.xml         RSS 2.0 (iTunes + Podcasting 2.0) or YouTube-style Atom
    demo/sources.json                    what `manage.py load_demo` registers

Script format (UTF-8 text):

    == Chapter title            starts a chapter (listed, with its time, in the show notes)
    CODE: what the speaker says  one speaker turn per line; CODE maps to a name below
    # comment                    ignored

The output is deterministic (seeded), so running it again rewrites identical files.
Run it with any Python 3.10+:  python demo/build.py
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import media

HERE = Path(__file__).resolve().parent
BASE = "https://demo.newsroom.invalid"

PODCAST_NS_NEW = "https://podcastindex.org/namespace/1.0"
PODCAST_NS_OLD = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"

WORDS_PER_MINUTE = 150

# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------

SOURCES = [
    {
        "slug": "signal-and-noise",
        "name": "Signal & Noise",
        "kind": "podcast",
        "language": "en",
        "topic": "ai",
        "format": "rss",
        "transcript": "vtt",
        "podcast_ns": PODCAST_NS_NEW,
        "author": "Signal & Noise Media",
        "description": (
            "A twice-weekly tech news conversation with Maya Okafor and Daniel Reyes: "
            "AI, security, science and the business of software, without the hype."
        ),
        "feed_language": "en-us",
    },
    {
        "slug": "the-stack-report",
        "name": "The Stack Report",
        "kind": "podcast",
        "language": "en",
        "topic": "cloud",
        "format": "rss",
        "transcript": "srt",
        "podcast_ns": PODCAST_NS_OLD,
        "date_style": "gmt",
        "author": "Priya Natarajan & Tom Whitfield",
        "description": (
            "Cloud infrastructure, platform engineering and the policy that shapes them. "
            "Hosted by Priya Natarajan and Tom Whitfield."
        ),
        "feed_language": "en",
    },
    {
        "slug": "octets-du-matin",
        "name": "Octets du Matin",
        "kind": "podcast",
        "language": "fr",
        "topic": "startups",
        "format": "rss",
        "transcript": "vtt-fr",
        "date_style": "paris",
        "podcast_ns": PODCAST_NS_NEW,
        "author": "Camille Laurent et Julien Mercier",
        "description": (
            "Le point sur l’actualité tech francophone, avec Camille Laurent et Julien Mercier : "
            "start-up, intelligence artificielle, cybersécurité et crypto, expliquées sans jargon."
        ),
        "feed_language": "fr",
    },
    {
        "slug": "circuit-bench",
        "name": "Circuit Bench",
        "kind": "youtube",
        "language": "en",
        "topic": "hardware",
        "format": "atom",
        "transcript": "yt",
        "channel_id": "UCq7cBnch8Demo4Lr2Vx9kTw",
        "author": "Circuit Bench",
        "description": "Hands-on hardware: chips, boards, radios and teardowns, with Lena Brooks.",
        "feed_language": "en",
    },
    {
        "slug": "the-merge-window",
        "name": "The Merge Window",
        "kind": "podcast",
        "language": "en",
        "topic": "ai",
        "format": "rss",
        "transcript": "json",
        "podcast_ns": PODCAST_NS_NEW,
        "author": "Ravi Menon & Hannah Kowalski",
        "description": (
            "A weekly show for people who ship software: AI coding tools, models you can run "
            "yourself, databases, and the rules that land on developers' desks. Hosted by "
            "Ravi Menon and Hannah Kowalski."
        ),
        "feed_language": "en-gb",
    },
    {
        "slug": "hors-chaine",
        "name": "Hors Chaîne",
        "kind": "youtube",
        "language": "fr",
        "topic": "crypto",
        "format": "atom",
        "transcript": "yt",
        "channel_id": "UCh0rsCh4ineDemo7Qp3Zw1x",
        "author": "Hors Chaîne",
        "description": (
            "Crypto et infrastructure, démontées pièce par pièce : blockchains, portefeuilles "
            "et centres de données, avec Léa Fontaine et Karim Dahmani."
        ),
        "feed_language": "fr",
    },
]

# ---------------------------------------------------------------------------
# Episodes (dialogue in scripts/<key>.txt)
# ---------------------------------------------------------------------------

SN = {"MAYA": "Maya Okafor", "DANIEL": "Daniel Reyes"}
SR = {"PRIYA": "Priya Natarajan", "TOM": "Tom Whitfield"}
OM = {"CAMILLE": "Camille Laurent", "JULIEN": "Julien Mercier"}
CB = {"LENA": "Lena Brooks", "OMAR": "Omar Haddad"}
MW = {"RAVI": "Ravi Menon", "HANNAH": "Hannah Kowalski"}
HC = {"LEA": "Léa Fontaine", "KARIM": "Karim Dahmani"}
HOSTS = {**SN, **SR, **OM, **CB, **MW, **HC}

EPISODES = [
    # ---- Signal & Noise (VTT, current Podcasting 2.0 namespace) ----
    {
        "source": "signal-and-noise",
        "key": "sn-211-exits",
        "number": 211,
        "title": "Who Buys Startups Now? Exits, with Amara Diallo",
        "pub": "2026-11-15 06:00",
        "speakers": {**SN, "AMARA": "Amara Diallo"},
        "duration_format": "ms",
        "summary": (
            "Acquisitions of venture-backed startups are up sharply this year while the IPO "
            "window stays half shut. Adviser Amara Diallo explains who is buying, how founders "
            "and employees get paid in a sale, and why secondary sales are becoming routine."
        ),
        "links": [("Exit tracker, third quarter (demo)", "/links/exit-tracker-q3")],
    },
    {
        "source": "signal-and-noise",
        "key": "sn-212-seed-rounds",
        "number": 212,
        "title": "The Seed Round Is Back (Sort Of), with Sofia Lindqvist",
        "pub": "2026-11-19 06:00",
        "speakers": {**SN, "SOFIA": "Sofia Lindqvist"},
        "duration_format": "hms",
        "summary": (
            "Seed funding is up for the first time in three years, but the money is going to "
            "fewer, older companies. Venture investor Sofia Lindqvist explains what changed, "
            "why AI \u201cwrapper\u201d startups are struggling to raise, and what founders should "
            "do about down rounds, revenue-based financing and acqui-hires."
        ),
        "links": [("Harbor Lane Ventures seed report (demo)", "/links/harbor-lane-seed-report")],
    },
    {
        "source": "signal-and-noise",
        "key": "sn-213-passkeys-routers",
        "number": 213,
        "title": "Passkeys Win, Old Routers Lose",
        "pub": "2026-11-22 06:00",
        "speakers": SN,
        "duration_format": "ms",
        "summary": (
            "A regional bank retires passwords for most customers, a botnet of forty thousand "
            "end-of-life home routers is taken down, and a browser ships an emergency fix for an "
            "image-decoder bug. What it all means for your accounts and your network."
        ),
        "links": [("Router end-of-life checker (demo)", "/links/router-eol-checker")],
    },
    {
        "source": "signal-and-noise",
        "key": "sn-214-qubits-fusion",
        "number": 214,
        "title": "Logical Qubits, a Fusion Magnet and a Very Old Seed Vault",
        "pub": "2026-11-24 06:00",
        "speakers": SN,
        "duration_format": "seconds",
        "summary": (
            "A science special: a lab keeps a logical qubit alive for a record stretch, a fusion "
            "startup's magnet passes a full-field test, and researchers revive seeds that spent "
            "decades in a forgotten university freezer."
        ),
        "links": [],
    },
    {
        "source": "signal-and-noise",
        "key": "sn-215-inference-bill",
        "number": 215,
        "title": "The Inference Bill Comes Due, with Ines Halvorsen",
        "pub": "2026-11-27 06:00",
        "speakers": {**SN, "INES": "Ines Halvorsen"},
        "duration_format": "hms",
        "summary": (
            "Larkspur Labs releases Wren-14B with a permissive license, a retailer publishes how "
            "its AI bill grew sevenfold and how it cut it, and researcher Ines Halvorsen explains "
            "benchmark contamination. Plus: support bots, coding assistants and on-device AI."
        ),
        "links": [
            ("Wren-14B technical report (demo)", "/links/wren-14b-report"),
            ("Rolling benchmark project (demo)", "/links/rolling-benchmark"),
        ],
    },
    {
        "source": "signal-and-noise",
        "key": "sn-216-asteroid-ocean",
        "number": 216,
        "title": "Asteroid Dust, Ocean Heat and a Wheat That Shrugs Off Drought",
        "pub": "2026-11-28 06:00",
        "speakers": SN,
        "duration_format": "hms",
        "summary": (
            "A science round-up: the first results from dust returned by the Tessera probe, "
            "a record year for the heat stored in the oceans, and a field trial of wheat "
            "bred to keep its yield through a dry spring."
        ),
        "links": [("Tessera sample results (demo)", "/links/tessera-results")],
    },
    # ---- The Stack Report (SRT, older namespace URI) ----
    {
        "source": "the-stack-report",
        "key": "sr-088-mailbag",
        "number": 88,
        "title": "Mailbag: Reserved Capacity, Savings Plans and Your Questions",
        "pub": "2026-11-18 12:00",
        "speakers": SR,
        "duration_format": "seconds",
        "no_transcript_duration": 1274,
        "summary": (
            "Priya and Tom answer listener questions about committing to cloud capacity: when a "
            "one-year commitment beats a three-year one, how to size a savings plan from "
            "ninety days of usage, and why you should never commit for a workload you plan to "
            "migrate."
        ),
        "extra_notes": [
            "Listener Ana from Porto asks whether a small SaaS team should buy three-year "
            "commitments. Tom's rule of thumb: commit only to the floor of your usage over the "
            "last ninety days, never to the average, and start with one year; the extra discount "
            "for three years (roughly 20 points more in most price lists) rarely pays for the "
            "lost flexibility at a company still changing its architecture.",
            "Listener Marcus asks how to cover a database that runs on a fixed instance type. "
            "Priya explains that instance-specific reservations still beat flexible plans for "
            "stable databases, and shows the spreadsheet she uses: hourly usage exported for 90 "
            "days, the 10th percentile as the commitment line, and a quarterly review.",
            "A third question covers GPU capacity: both hosts advise against long commitments on "
            "accelerator instances this year, because prices per hour fell about 30% in twelve "
            "months and newer generations keep arriving.",
            "They close with a warning from a listener who committed to three years of capacity in "
            "a region their company left six months later: the commitment could not be moved, "
            "and cost them about $140,000 for nothing.",
        ],
        "links": [("Priya's commitment-sizing spreadsheet (demo)", "/links/commitment-sheet")],
    },
    {
        "source": "the-stack-report",
        "key": "sr-089-registry-attack",
        "number": 89,
        "title": "Six Hours of colorlogx: A Package Registry Supply-Chain Attack",
        "pub": "2026-11-20 12:00",
        "speakers": SR,
        "duration_format": "ms",
        "summary": (
            "A hijacked maintainer account pushed three malicious versions of a popular logging "
            "package. Priya and Tom walk through the timeline, what the malware stole, and the "
            "defences that actually help: trusted publishing, lockfiles and install-time policy."
        ),
        "links": [("Registry incident report (demo)", "/links/colorlogx-incident")],
    },
    {
        "source": "the-stack-report",
        "key": "sr-090-region-outage",
        "number": 90,
        "title": "Anatomy of a Region Outage",
        "pub": "2026-11-25 12:00",
        "speakers": SR,
        "duration_format": "seconds",
        "summary": (
            "Nimbra Cloud's four-hour outage in its us-central-2 region, from the bad DNS "
            "configuration push to the retry storm that kept it down. Plus: egress price cuts, "
            "ARM instances, serverless snapshots and a Kubernetes end-of-life deadline."
        ),
        "links": [
            ("Nimbra Cloud post-incident review (demo)", "/links/nimbra-pir"),
            ("Static stability, explained (demo)", "/links/static-stability"),
        ],
    },
    {
        "source": "the-stack-report",
        "key": "sr-091-switching-rules",
        "number": 91,
        "title": "Switching Fees, Sovereign Regions and the Procurement Rulebook",
        "pub": "2026-11-27 12:00",
        "speakers": SR,
        "duration_format": "hms",
        "summary": (
            "New European rules phase out cloud switching charges, providers answer with "
            "\u201csovereign\u201d regions, and a public procurement agency publishes a rulebook "
            "for buying cloud. Priya and Tom read the fine print."
        ),
        "links": [("Procurement rulebook summary (demo)", "/links/procurement-rulebook")],
    },
    # ---- Octets du Matin (VTT with <v> voice tags, French) ----
    {
        "source": "octets-du-matin",
        "key": "om-140-espace-europe",
        "number": 140,
        "title": "Lanceur réutilisable et satellite climat : l’Europe spatiale accélère",
        "pub": "2026-11-16 07:00",
        "speakers": OM,
        "duration_format": "ms",
        "summary": (
            "Le premier étage du lanceur Aurore se pose après son vol, le satellite "
            "franco-allemand Vigie mesure ses premières fuites de méthane, et des chercheurs "
            "grenoblois publient un record pour une mémoire quantique."
        ),
        "links": [("Le dossier de presse du vol Aurore 3 (démo)", "/links/aurore-3")],
    },
    {
        "source": "octets-du-matin",
        "key": "om-141-stablecoins-euro",
        "number": 141,
        "title": "Stablecoins en euro : qui va gagner ?",
        "pub": "2026-11-21 07:00",
        "speakers": OM,
        "duration_format": "ms",
        "summary": (
            "Un consortium de banques lance EURQ, un stablecoin adossé à l’euro. Camille et "
            "Julien expliquent comment il fonctionne, ce que change la réglementation européenne "
            "sur les crypto-actifs, et pourquoi les stablecoins en dollar restent dominants."
        ),
        "links": [("Le livre blanc d’EURQ (démo)", "/links/eurq-livre-blanc")],
    },
    {
        "source": "octets-du-matin",
        "key": "om-142-rancongiciel-hopital",
        "number": 142,
        "title": "Rançongiciel à l’hôpital de Valmont : ce qu’on sait",
        "pub": "2026-11-23 07:00",
        "speakers": OM,
        "duration_format": "ms",
        "summary": (
            "Une attaque par rançongiciel a paralysé le centre hospitalier de Valmont pendant "
            "neuf jours. Chronologie, porte d’entrée probable, retour au papier, et les leçons "
            "pour les établissements de santé."
        ),
        "links": [],
    },
    {
        "source": "octets-du-matin",
        "key": "om-143-ia-souveraine",
        "number": 143,
        "title": "IA francophone, levées de fonds et puces grenobloises, avec Nadia Benali",
        "pub": "2026-11-26 07:00",
        "speakers": {**OM, "NADIA": "Nadia Benali"},
        "duration_format": "ms",
        "summary": (
            "La start-up lyonnaise Maréa lève 48 millions d’euros, le laboratoire Ciel Ouvert "
            "publie un modèle entraîné sur des données francophones, et Alpisil ouvre une ligne "
            "pilote près de Grenoble. Avec l’investisseuse Nadia Benali."
        ),
        "links": [("Le rapport technique de Ciel Ouvert (démo)", "/links/ciel-ouvert-rapport")],
    },
    {
        "source": "octets-du-matin",
        "key": "om-144-regulation-plateformes",
        "number": 144,
        "title": "Amende record, âge minimum et pièces détachées : la semaine de la régulation",
        "pub": "2026-11-28 07:30",
        "speakers": OM,
        "duration_format": "ms",
        "summary": (
            "La Commission européenne inflige 1,2 milliard d’euros d’amende à la place de "
            "marché Vendora, le gouvernement présente sa loi sur l’âge minimum des réseaux "
            "sociaux, et un règlement impose sept ans de pièces détachées pour les téléphones."
        ),
        "links": [("La décision de la Commission, résumée (démo)", "/links/vendora-decision")],
    },
    # ---- Circuit Bench (YouTube-style Atom, local caption files) ----
    {
        "source": "circuit-bench",
        "key": "cb-kestrel-risc-v",
        "video_id": "Rv5bQ2nTz8K",
        "title": "A $79 RISC-V Board That Runs a Desktop: Kestrel K1 Review",
        "pub": "2026-11-16 15:00",
        "speakers": CB,
        "summary": (
            "The Kestrel K1 puts a four-core RISC-V processor on a credit-card board for $79. "
            "We benchmark it against an ARM board, try a full desktop, measure power, and list "
            "what still does not work."
        ),
        "links": [],
    },
    {
        "source": "circuit-bench",
        "key": "cb-modula-teardown",
        "video_id": "Ph9tW3xLr6D",
        "title": "Screws, Not Glue: Modula 2 Repairable Phone Teardown",
        "pub": "2026-11-22 15:00",
        "speakers": CB,
        "summary": (
            "We take apart the Modula 2, a phone designed to be repaired: the battery comes "
            "out in ninety seconds, the screen in five minutes. What the parts cost, and what "
            "the design gives up."
        ),
        "links": [],
    },
    {
        "source": "circuit-bench",
        "key": "cb-ground-station",
        "video_id": "G7s2kQm4RxA",
        "title": "We Built a Backyard Satellite Ground Station for $180",
        "pub": "2026-11-20 15:00",
        "speakers": CB,
        "summary": (
            "Lena and Omar build a weather-satellite ground station from a software radio, a "
            "hand-made antenna and a single-board computer, and decode their first images."
        ),
        "links": [],
    },
    {
        "source": "circuit-bench",
        "key": "cb-wallet-teardown",
        "video_id": "pW3nVt8cL0e",
        "title": "Hardware Wallet Teardown: What the Secure Element Actually Does",
        "pub": "2026-11-24 15:00",
        "speakers": CB,
        "summary": (
            "We open up a popular crypto hardware wallet, find the secure element, and explain "
            "what it protects against, what it does not, and why your recovery phrase is still "
            "the weakest link."
        ),
        "links": [],
    },
    {
        "source": "circuit-bench",
        "key": "cb-vantor-v3",
        "video_id": "Xk9fB1dZq2M",
        "title": "Vantor V3 Laptop Chip Review: Benchmarks, Battery and Heat",
        "pub": "2026-11-28 15:00",
        "speakers": CB,
        "summary": (
            "Two weeks with the first laptops built on the Vantor V3: CPU and GPU benchmarks, a "
            "real battery rundown, fan noise, and whether its neural engine matters yet."
        ),
        "links": [],
    },
    # ---- The Merge Window (Podcasting 2.0 JSON transcripts) ----
    {
        "source": "the-merge-window",
        "key": "mw-041-agents-merge-queue",
        "number": 41,
        "title": "Coding Agents in the Merge Queue: Fernhill's Three-Month Report",
        "pub": "2026-11-16 09:00",
        "speakers": MW,
        "duration_format": "hms",
        "summary": (
            "The payments company Fernhill let an AI coding agent open pull requests for three "
            "months and published the numbers: what was merged, what was reverted, and what it "
            "cost. Plus a new benchmark of agents fixing real bugs, and prompt injection "
            "through issue trackers."
        ),
        "links": [("Fernhill's agent report (demo)", "/links/fernhill-agent-report")],
    },
    {
        "source": "the-merge-window",
        "key": "mw-042-small-models",
        "number": 42,
        "title": "Small Models, Long Context: Distillation Grows Up",
        "pub": "2026-11-21 09:00",
        "speakers": MW,
        "duration_format": "ms",
        "summary": (
            "Larkspur Labs distils Wren-3B from its larger model, a study measures what 4-bit "
            "quantization really costs in accuracy, and Hannah fine-tunes a small model on "
            "support tickets for less than the price of lunch."
        ),
        "links": [("Quantization study (demo)", "/links/quantization-study")],
    },
    {
        "source": "the-merge-window",
        "key": "mw-043-quarry-fork",
        "number": 43,
        "title": "A Database Changes Its License, and the Fork Arrives in Ten Days",
        "pub": "2026-11-25 09:00",
        "speakers": MW,
        "duration_format": "seconds",
        "summary": (
            "Quarrylabs moves QuarryDB from an open source license to a source-available one; "
            "ten days later the OpenQuarry fork has forty maintainers and two cloud providers "
            "behind it. What changes for teams running the database, and for managed prices."
        ),
        "links": [("OpenQuarry's governance charter (demo)", "/links/openquarry-charter")],
    },
    {
        "source": "the-merge-window",
        "key": "mw-044-app-store-ruling",
        "number": 44,
        "title": "The App Store Ruling, a Liability Law and Your Release Checklist",
        "pub": "2026-11-27 09:00",
        "speakers": MW,
        "duration_format": "hms",
        "summary": (
            "An appeals court upholds the ruling that opens the Orchard app store to outside "
            "payments, lawmakers draft a software liability law, and the compliance deadlines "
            "that will change how a small team ships releases."
        ),
        "links": [("The appeals court ruling, summarised (demo)", "/links/orchard-ruling")],
    },
    # ---- Hors Chaîne (YouTube-style Atom, French captions) ----
    {
        "source": "hors-chaine",
        "key": "hc-minage-bitcoin",
        "video_id": "Bt4cH9mQe2L",
        "title": "Miner du bitcoin en 2026 : on a fait le calcul",
        "pub": "2026-11-17 17:00",
        "speakers": HC,
        "summary": (
            "Combien coûte un bitcoin à produire ? On a suivi une ferme de minage en Norvège, "
            "épluché les frais de transaction et comparé avec le prix sur les plateformes "
            "d’échange."
        ),
        "links": [],
    },
    {
        "source": "hors-chaine",
        "key": "hc-datacenter",
        "video_id": "Dc7vRt2kXw0",
        "title": "On a visité un datacenter : refroidissement liquide et cloud souverain",
        "pub": "2026-11-23 17:00",
        "speakers": HC,
        "summary": (
            "Visite d’un centre de données de l’hébergeur Nordhéberg près de Lille : "
            "refroidissement liquide, densité des baies, sauvegardes, et ce que veut dire "
            "« cloud souverain » quand on regarde les câbles."
        ),
        "links": [],
    },
    {
        "source": "hors-chaine",
        "key": "hc-rollups",
        "video_id": "Eq5pLm8sYa3",
        "title": "Rollups et frais : pourquoi envoyer un token coûte trois centimes",
        "pub": "2026-11-26 17:00",
        "speakers": HC,
        "summary": (
            "Les frais sur les rollups d’Ethereum ont chuté de 90 % en un an. On explique "
            "comment ça marche, ce que sont les ponts entre chaînes, et les risques qu’on "
            "oublie quand on déplace ses tokens."
        ),
        "links": [],
    },
]

# RSS <category> elements per episode (plain tags, as many hosts emit them).
CATEGORIES = {
    "sn-212-seed-rounds": ["Startups", "Venture capital", "Funding"],
    "sn-213-passkeys-routers": ["Security", "Passkeys", "Botnets"],
    "sn-214-qubits-fusion": ["Science", "Quantum computing", "Fusion"],
    "sn-215-inference-bill": ["AI", "Open models", "Benchmarks"],
    "sr-088-mailbag": ["Cloud", "FinOps"],
    "sr-089-registry-attack": ["Security", "Supply chain", "Python"],
    "sr-090-region-outage": ["Cloud", "Outages", "Kubernetes"],
    "sr-091-switching-rules": ["Policy", "Regulation", "Cloud"],
    "om-141-stablecoins-euro": ["Crypto", "Stablecoins", "Réglementation"],
    "om-142-rancongiciel-hopital": ["Sécurité", "Rançongiciel", "Santé"],
    "om-143-ia-souveraine": ["Start-up", "Intelligence artificielle", "Semi-conducteurs"],
    "sn-211-exits": ["Startups", "Acquisitions", "IPO"],
    "sn-216-asteroid-ocean": ["Science", "Space", "Climate"],
    "om-140-espace-europe": ["Science", "Espace", "Climat"],
    "om-144-regulation-plateformes": ["Régulation", "Commission européenne", "Réparabilité"],
    "mw-041-agents-merge-queue": ["AI", "Coding agents", "Developer tools"],
    "mw-042-small-models": ["AI", "Small models", "Quantization"],
    "mw-043-quarry-fork": ["Databases", "Open source", "Licensing"],
    "mw-044-app-store-ruling": ["Policy", "Antitrust", "Regulation"],
}

# ---------------------------------------------------------------------------
# Script parsing and timing
# ---------------------------------------------------------------------------

ABBREVIATIONS = {
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "st.",
    "vs.",
    "e.g.",
    "i.e.",
    "etc.",
    "approx.",
    "no.",
}


@dataclass
class Turn:
    speaker: str
    text: str
    chapter: str | None  # set on the first turn of a chapter


@dataclass
class Cue:
    start: float
    end: float
    speaker: str
    text: str


def read_script(key: str, speakers: dict[str, str]) -> list[Turn]:
    turns: list[Turn] = []
    pending_chapter: str | None = None
    path = HERE / "scripts" / f"{key}.txt"
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            pending_chapter = line.lstrip("=").strip()
            continue
        code, sep, text = line.partition(":")
        if not sep or code not in speakers:
            raise SystemExit(
                f"{path.name}:{lineno}: expected 'CODE: text' with CODE in {sorted(speakers)}"
            )
        if any(ch in text for ch in "<>&"):
            raise SystemExit(f"{path.name}:{lineno}: keep <, > and & out of dialogue")
        turns.append(Turn(speakers[code], " ".join(text.split()), pending_chapter))
        pending_chapter = None
    return turns


def split_sentences(text: str) -> list[str]:
    words = text.split()
    sentences, current = [], []
    for i, w in enumerate(words):
        current.append(w)
        bare = w.rstrip("\u00bb\"\u201d)\u2019'")
        ends = bare.endswith((".", "!", "?", "\u2026")) and w.lower() not in ABBREVIATIONS
        if ends and i + 1 < len(words):
            sentences.append(" ".join(current))
            current = []
    if current:
        sentences.append(" ".join(current))
    return sentences


def split_long(sentence: str, limit: int = 34) -> list[str]:
    """Split a very long sentence at commas into pieces that fit one cue."""
    words = sentence.split()
    if len(words) <= limit:
        return [sentence]
    pieces, current = [], []
    for w in words:
        current.append(w)
        if (
            len(current) >= 12
            and w.endswith((",", ";", ":"))
            and len(words) - len(current) > 0
            or len(current) >= limit
        ):
            pieces.append(" ".join(current))
            current = []
    if current:
        if pieces and len(current) < 5:
            pieces[-1] += " " + " ".join(current)
        else:
            pieces.append(" ".join(current))
    return pieces


def chunk_turn(text: str, rng: random.Random) -> list[str]:
    """Group sentences into cues of 1-3 sentences, roughly 12-34 words each."""
    units: list[str] = []
    for s in split_sentences(text):
        units.extend(split_long(s))
    cues, current, count = [], [], 0
    target = rng.randint(14, 30)
    for u in units:
        n = len(u.split())
        if current and (count + n > 36 or len(current) == 3):
            cues.append(" ".join(current))
            current, count, target = [], 0, rng.randint(14, 30)
        current.append(u)
        count += n
        if count >= target:
            cues.append(" ".join(current))
            current, count, target = [], 0, rng.randint(14, 30)
    if current:
        tail = " ".join(current)
        if cues and count < 6 and len(cues[-1].split()) + count <= 40:
            cues[-1] += " " + tail  # don't leave a two-word cue dangling at the end of a turn
        else:
            cues.append(tail)
    return cues


def time_script(
    key: str, turns: list[Turn], lead_in: float
) -> tuple[list[Cue], list[tuple[float, str]]]:
    rng = random.Random(key)
    rates: dict[str, float] = {}
    cues: list[Cue] = []
    chapters: list[tuple[float, str]] = []
    t = lead_in
    for turn in turns:
        rate = rates.setdefault(turn.speaker, WORDS_PER_MINUTE * rng.uniform(0.93, 1.07) / 60.0)
        if turn.chapter:
            chapters.append((0.0 if not chapters else t, turn.chapter))
        for text in chunk_turn(turn.text, rng):
            words = len(text.split())
            length = max(1.4, words / rate * rng.uniform(0.94, 1.08) + 0.2 * text.count(". "))
            start = t
            end = start + length
            cues.append(Cue(round(start, 3), round(end, 3), turn.speaker, text))
            t = end + rng.uniform(0.05, 0.35)
        t += rng.uniform(0.3, 1.1)  # hand-over between speakers
    return cues, chapters


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def ts(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def cue_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues: list[Cue], style: str, note: str | None = None, language: str = "en") -> str:
    """style: 'numbered' (ids + <v> tags), 'voices' (<v> tags only), 'youtube' (no speakers)."""
    out = ["WEBVTT"]
    if style == "youtube":
        out += ["Kind: captions", f"Language: {language}"]
    out.append("")
    if note:
        out += [f"NOTE {note}", ""]
    for n, c in enumerate(cues, 1):
        if style == "numbered":
            out.append(str(n))
        out.append(f"{ts(c.start)} --> {ts(c.end)}")
        if style == "youtube":
            out += textwrap.wrap(cue_escape(c.text), 42)
        else:
            out.append(f"<v {c.speaker}>{cue_escape(c.text)}")
        out.append("")
    return "\n".join(out)


def write_srt(cues: list[Cue]) -> str:
    out = []
    for n, c in enumerate(cues, 1):
        out.append(str(n))
        out.append(f"{ts(c.start, ',')} --> {ts(c.end, ',')}")
        out += textwrap.wrap(f"{c.speaker}: {c.text}", 80)
        out.append("")
    return "\r\n".join(out)  # many SRT exporters use CRLF


def write_json(cues: list[Cue], language: str) -> str:
    """A Podcasting 2.0 JSON transcript, one segment per cue."""
    segments = [
        {"speaker": c.speaker, "startTime": c.start, "endTime": c.end, "body": c.text} for c in cues
    ]
    document = {"version": "1.0.0", "language": language, "segments": segments}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def fmt_duration(seconds: int, style: str) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if style == "hms":
        return f"{h}:{m:02d}:{s:02d}"
    if style == "ms":
        return f"{h * 60 + m}:{s:02d}"
    return str(seconds)


def chapter_stamp(seconds: float) -> str:
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def rfc822(when: datetime, source: dict | None = None) -> str:
    """RFC 822 date. Feeds differ on purpose: "+0000", "GMT", or local time ("+0100")."""
    style = (source or {}).get("date_style", "utc")
    if style == "gmt":
        return format_datetime(when, usegmt=True)
    if style == "paris":
        return format_datetime(when.astimezone(timezone(timedelta(hours=1))))
    return format_datetime(when)


def parse_pub(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def show_notes(ep: dict, source: dict, chapters: list[tuple[float, str]]) -> str:
    fr = source["language"] == "fr"
    people = ", ".join(ep["speakers"].values())
    parts = [f"<p>{escape(ep['summary'])}</p>"]
    for para in ep.get("extra_notes", []):
        parts.append(f"<p>{escape(para)}</p>")
    parts.append(f"<p>{'Avec' if fr else 'With'} {escape(people)}.</p>")
    if chapters:
        parts.append(f"<p><strong>{'Chapitres' if fr else 'Chapters'}</strong></p><ul>")
        parts += [f"<li>{chapter_stamp(t)} {escape(title)}</li>" for t, title in chapters]
        parts.append("</ul>")
    if ep.get("links"):
        parts.append("<p>Liens :</p><ul>" if fr else "<p>Links:</p><ul>")
        parts += [
            f'<li><a href="{BASE}{href}">{escape(label)}</a></li>' for label, href in ep["links"]
        ]
        parts.append("</ul>")
    return "".join(parts)


TRANSCRIPT_TYPES = {"srt": "application/x-subrip", "vtt": "text/vtt", "json": "application/json"}


def audio_bytes(name: str) -> int:
    """The enclosure's length: the demo's audio file as it is on disk."""
    path = media.AUDIO / f"{name}.opus"
    return path.stat().st_size if path.is_file() else 0


def rss_feed(source: dict, items: list[dict]) -> str:
    slug = source["slug"]
    ns = source["podcast_ns"]
    newest = max(parse_pub(i["ep"]["pub"]) for i in items)
    head = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="{ns}"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{escape(source["name"])}</title>
    <link>{BASE}/shows/{slug}</link>
    <atom:link href="{BASE}/feeds/{slug}.xml" rel="self" type="application/rss+xml"/>
    <description>{escape(source["description"])}</description>
    <language>{source["feed_language"]}</language>
    <copyright>{escape("Demo content for newsroom. Invented, not a real show.")}</copyright>
    <lastBuildDate>{rfc822(newest, source)}</lastBuildDate>
    <generator>newsroom demo/build.py</generator>
    <itunes:author>{escape(source["author"])}</itunes:author>
    <itunes:summary>{escape(source["description"])}</itunes:summary>
    <itunes:owner>
      <itunes:name>{escape(source["author"])}</itunes:name>
      <itunes:email>shows@demo.newsroom.invalid</itunes:email>
    </itunes:owner>
    <itunes:image href="{BASE}/art/{slug}.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:category text="News">
      <itunes:category text="Tech News"/>
    </itunes:category>
    <itunes:explicit>false</itunes:explicit>
    <itunes:type>episodic</itunes:type>
    <podcast:locked>no</podcast:locked>
"""
    body = []
    for item in sorted(items, key=lambda i: i["ep"]["pub"], reverse=True):
        ep = item["ep"]
        page = f"{BASE}/episodes/{slug}/{ep['key']}"
        notes = item["notes"]
        lines = [
            "    <item>",
            f"      <title>{escape(ep['title'])}</title>",
            f"      <link>{page}</link>",
            f'      <guid isPermaLink="false">{slug}-{ep["number"]}</guid>',
            f"      <pubDate>{rfc822(parse_pub(ep['pub']), source)}</pubDate>",
        ]
        if source["language"] == "fr":
            # The French feed wraps show notes in CDATA, as many French hosts do.
            lines.append(f"      <description><![CDATA[{notes}]]></description>")
        else:
            lines.append(f"      <description>{escape(notes)}</description>")
        if slug == "the-stack-report":
            lines.append(f"      <content:encoded><![CDATA[{notes}]]></content:encoded>")
        lines += [f"      <category>{escape(c)}</category>" for c in CATEGORIES.get(ep["key"], [])]
        seconds = item["duration"]
        lines += [
            f'      <enclosure url="{BASE}/audio/{slug}/{item["audio"]}.opus" '
            f'length="{audio_bytes(item["audio"])}" type="audio/ogg"/>',
            f"      <itunes:duration>{fmt_duration(seconds, ep['duration_format'])}"
            "</itunes:duration>",
            f"      <itunes:author>{escape(source['author'])}</itunes:author>",
            f"      <itunes:episode>{ep['number']}</itunes:episode>",
            "      <itunes:episodeType>full</itunes:episodeType>",
            "      <itunes:explicit>false</itunes:explicit>",
        ]
        if item["transcript_file"]:
            mime = TRANSCRIPT_TYPES[item["transcript_file"].rsplit(".", 1)[-1]]
            url = f"{BASE}/transcripts/{item['transcript_file']}"
            lines.append(
                f'      <podcast:transcript url="{url}" type="{mime}" '
                f'language="{source["language"]}"/>'
            )
        for _code, name in ep["speakers"].items():
            role = "host" if name in HOSTS.values() else "guest"
            lines.append(f'      <podcast:person role="{role}">{escape(name)}</podcast:person>')
        lines.append("    </item>")
        body.append("\n".join(lines))
    return head + "\n".join(body) + "\n  </channel>\n</rss>\n"


def atom_feed(source: dict, items: list[dict]) -> str:
    cid = source["channel_id"]
    slug = source["slug"]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">',
        f' <link rel="self" href="{BASE}/feeds/{slug}.xml"/>',
        f" <id>yt:channel:{cid}</id>",
        f" <yt:channelId>{cid}</yt:channelId>",
        f" <title>{escape(source['name'])}</title>",
        f' <link rel="alternate" href="{BASE}/channels/{slug}"/>',
        f" <author>\n  <name>{escape(source['author'])}</name>\n"
        f"  <uri>{BASE}/channels/{slug}</uri>\n </author>",
        f" <published>{datetime(2023, 3, 2, 17, 4, 11, tzinfo=UTC).isoformat()}</published>",
    ]
    for item in sorted(items, key=lambda i: i["ep"]["pub"], reverse=True):
        ep = item["ep"]
        vid = ep["video_id"]
        pub = parse_pub(ep["pub"])
        updated = pub.replace(hour=pub.hour + 2, minute=17)
        fr = source["language"] == "fr"
        description = ep["summary"] + "\n\n"
        if item["chapters"]:
            description += ("Chapitres :\n" if fr else "Chapters:\n") + "\n".join(
                f"{chapter_stamp(t)} {title}" for t, title in item["chapters"]
            )
        more = "Plus de vidéos :" if fr else "More hands-on hardware:"
        description += f"\n\n{more} {BASE}/channels/{slug}"
        out += [
            " <entry>",
            f"  <id>yt:video:{vid}</id>",
            f"  <yt:videoId>{vid}</yt:videoId>",
            f"  <yt:channelId>{cid}</yt:channelId>",
            f"  <title>{escape(ep['title'])}</title>",
            f'  <link rel="alternate" href="{BASE}/watch?v={vid}"/>',
            f"  <author>\n   <name>{escape(source['author'])}</name>\n"
            f"   <uri>{BASE}/channels/{slug}</uri>\n  </author>",
            f"  <published>{pub.isoformat()}</published>",
            f"  <updated>{updated.isoformat()}</updated>",
            "  <media:group>",
            f"   <media:title>{escape(ep['title'])}</media:title>",
            f'   <media:content url="{BASE}/v/{vid}?version=3" '
            'type="application/x-shockwave-flash" width="640" height="390"/>',
            f'   <media:thumbnail url="{BASE}/vi/{vid}/hqdefault.jpg" width="480" height="360"/>',
            f"   <media:description>{escape(description)}</media:description>",
            "   <media:community>",
            f'    <media:starRating count="{item["likes"]}" average="5.00" min="1" max="5"/>',
            f'    <media:statistics views="{item["views"]}"/>',
            "   </media:community>",
            "  </media:group>",
            " </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------


def mailbag_lines(ep: dict, source: dict) -> list[media.Line]:
    """An episode without a transcript still plays: its show notes, read aloud at the
    start, then quiet until its announced length."""
    speakers = list(ep["speakers"].values())
    lines, t = [], 4.0
    for n, para in enumerate([ep["summary"], *ep.get("extra_notes", [])]):
        for sentence in split_sentences(para):
            length = len(sentence.split()) / WORDS_PER_MINUTE * 60
            lines.append(media.Line(t, t + length, speakers[n % len(speakers)], sentence))
            t += length + 0.4
        t += 1.0
    return lines


def audio_name(ep: dict) -> str:
    """The audio file's stem: the video id for a YouTube-style entry, else the key (the
    stem of the feed's enclosure URL). load_demo finds the file by the same rule."""
    return ep.get("video_id") or ep["key"]


def build_audio(jobs: list[dict], *, force: bool, skip: bool) -> list[str]:
    """Make each episode's audio unless it is there and made from the same lines.
    Returns the names that are missing or stale and could not be made."""
    index = media.read_index()
    missing_tools = media.tools_missing()
    stale = []
    for job in jobs:
        name, path = job["name"], media.AUDIO / f"{job['name']}.opus"
        voices = media.voices_for(job["speakers"], job["language"])
        fingerprint = media.fingerprint(job["lines"], job["duration"], voices)
        current = index.get(name, {}).get("fingerprint") == fingerprint and path.is_file()
        if current and not force:
            continue
        if skip or missing_tools:
            stale.append(name)
            continue
        print(f"audio: speaking {name} ({job['duration'] // 60} min)", flush=True)
        media.render(job["lines"], job["duration"], voices, path)
        index[name] = {"fingerprint": fingerprint, "seconds": job["duration"]}
        media.write_index(index)  # kept after each file: an interrupted build resumes
    names = {job["name"] for job in jobs}
    media.write_index({k: v for k, v in index.items() if k in names})
    for path in media.AUDIO.glob("*.opus"):
        if path.stem not in names:
            path.unlink()
    if stale and missing_tools:
        print(f"audio: {', '.join(missing_tools)} not found; kept the files already there")
    return stale


def build(*, force_audio: bool = False, skip_audio: bool = False) -> list[dict]:
    by_source: dict[str, list[dict]] = {s["slug"]: [] for s in SOURCES}
    report, jobs = [], []
    for ep in EPISODES:
        source = next(s for s in SOURCES if s["slug"] == ep["source"])
        item = {"ep": ep, "chapters": [], "transcript_file": None, "audio": audio_name(ep)}
        if "no_transcript_duration" in ep:
            item["duration"] = ep["no_transcript_duration"]
            lines = mailbag_lines(ep, source)
            words = 0
        else:
            turns = read_script(ep["key"], ep["speakers"])
            rng = random.Random(ep["key"] + "/outro")
            cues, chapters = time_script(ep["key"], turns, lead_in=rng.uniform(3.0, 9.0))
            lines = [media.Line(c.start, c.end, c.speaker, c.text) for c in cues]
            item["chapters"] = chapters
            item["duration"] = int(cues[-1].end + rng.uniform(8, 24))
            words = sum(len(c.text.split()) for c in cues)
            style = source["transcript"]
            if style == "srt":
                name = f"{ep['key']}.srt"
                content = write_srt(cues)
            elif style == "yt":
                name = f"{ep['video_id']}.vtt"
                content = write_vtt(cues, "youtube", language=source["language"])
                item["likes"] = 40 + words // 9
                item["views"] = 1200 + words * 7
            elif style == "vtt-fr":
                name = f"{ep['key']}.vtt"
                content = write_vtt(cues, "voices")
            elif style == "json":
                name = f"{ep['key']}.json"
                content = write_json(cues, source["language"])
            else:
                name = f"{ep['key']}.vtt"
                content = write_vtt(
                    cues,
                    "numbered",
                    note=f"{source['name']} episode {ep['number']}. Invented demo content.",
                )
            (HERE / "transcripts" / name).write_bytes(content.encode("utf-8"))
            item["transcript_file"] = name
        jobs.append(
            {
                "name": item["audio"],
                "lines": lines,
                "duration": item["duration"],
                "speakers": list(ep["speakers"].values()),
                "language": source["language"],
            }
        )
        item["notes"] = show_notes(ep, source, item["chapters"])
        by_source[source["slug"]].append(item)
        report.append(
            {
                "source": source["slug"],
                "title": ep["title"],
                "language": source["language"],
                "duration": item["duration"],
                "transcript": item["transcript_file"],
                "words": words,
            }
        )
    stale = build_audio(jobs, force=force_audio, skip=skip_audio)
    media.write_art(SOURCES)
    for source in SOURCES:
        items = by_source[source["slug"]]
        xml = atom_feed(source, items) if source["format"] == "atom" else rss_feed(source, items)
        (HERE / "feeds" / f"{source['slug']}.xml").write_text(xml, encoding="utf-8")
    sources_json = [
        {
            "slug": s["slug"],
            "name": s["name"],
            "kind": s["kind"],
            "feed_file": f"{s['slug']}.xml",
            "feed_url": f"{BASE}/feeds/{s['slug']}.xml",
            "site_url": f"{BASE}/{'channels' if s['kind'] == 'youtube' else 'shows'}/{s['slug']}",
            "language": s["language"],
            "topic": s["topic"],
        }
        for s in SOURCES
    ]
    (HERE / "sources.json").write_text(
        json.dumps(sources_json, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for name in stale:
        print(f"audio: media/audio/{name}.opus is missing or out of date")
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audio", action="store_true", help="speak every episode again")
    parser.add_argument("--no-audio", action="store_true", help="leave the audio as it is")
    args = parser.parse_args()
    rows = build(force_audio=args.audio, skip_audio=args.no_audio)
    total = 0
    for r in rows:
        total += r["words"]
        m, s = divmod(r["duration"], 60)
        print(
            f"{r['source']:18} {r['language']}  {m:3d}:{s:02d}  {r['words']:5d} words  "
            f"{r['transcript'] or '(no transcript)':32} {r['title']}"
        )
    print(f"total words: {total}")
