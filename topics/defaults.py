"""The starting set of topics, shared by the data migration and by offline tools
(`manage.py digest` chooses among these without touching the database).

Keywords are lower-case words or short phrases whose presence in a transcript
suggests the topic; the extractive summariser counts them.
"""

DEFAULT_TOPICS = [
    {
        "slug": "ai",
        "name_en": "AI",
        "name_fr": "IA",
        "order": 10,
        "in_nav": False,
        "description": "Machine learning, language models, agents and the companies building them.",
        "keywords": [
            "ai", "artificial intelligence", "machine learning", "model", "models", "llm",
            "neural", "training", "inference", "gpt", "agent", "agents", "transformer",
            "openai", "anthropic", "deep learning", "dataset", "fine-tuning", "prompt",
            "intelligence artificielle", "apprentissage", "modèle", "modèles",
        ],
    },
    {
        "slug": "crypto",
        "name_en": "Crypto",
        "name_fr": "Crypto",
        "order": 20,
        "in_nav": True,
        "description": "Bitcoin, Ethereum, stablecoins, DeFi and the rules around them.",
        "keywords": [
            "bitcoin", "ethereum", "crypto", "cryptocurrency", "blockchain", "token", "tokens",
            "stablecoin", "defi", "wallet", "mining", "exchange", "etf", "solana", "nft",
            "cryptomonnaie", "chaîne de blocs", "portefeuille",
        ],
    },
    {
        "slug": "cloud",
        "name_en": "Cloud",
        "name_fr": "Cloud",
        "order": 30,
        "in_nav": False,
        "description": "Cloud platforms, infrastructure, databases, DevOps and open source.",
        "keywords": [
            "cloud", "aws", "azure", "kubernetes", "serverless", "database", "databases",
            "infrastructure", "devops", "container", "containers", "datacenter", "data center",
            "open source", "postgres", "linux", "hébergement", "nuage",
        ],
    },
    {
        "slug": "security",
        "name_en": "Security",
        "name_fr": "Sécurité",
        "order": 40,
        "in_nav": False,
        "description": "Breaches, vulnerabilities, privacy and defence.",
        "keywords": [
            "security", "breach", "vulnerability", "exploit", "ransomware", "malware",
            "attack", "attacker", "phishing", "privacy", "encryption", "password", "hacker",
            "zero-day", "patch", "sécurité", "attaque", "vulnérabilité", "chiffrement",
        ],
    },
    {
        "slug": "hardware",
        "name_en": "Hardware",
        "name_fr": "Matériel",
        "order": 50,
        "in_nav": False,
        "description": "Chips, devices, phones, computers and the factories that make them.",
        "keywords": [
            "chip", "chips", "gpu", "cpu", "semiconductor", "silicon", "phone", "iphone",
            "laptop", "device", "devices", "battery", "nvidia", "intel", "amd", "arm",
            "processor", "fab", "puce", "puces", "processeur", "téléphone",
        ],
    },
    {
        "slug": "startups",
        "name_en": "Startups",
        "name_fr": "Start-up",
        "order": 60,
        "in_nav": False,
        "description": "Founders, funding rounds, acquisitions and the business of tech.",
        "keywords": [
            "startup", "startups", "founder", "founders", "funding", "venture", "investors",
            "valuation", "seed", "series a", "acquisition", "ipo", "revenue", "customers",
            "fondateur", "levée de fonds", "investisseurs", "entreprise",
        ],
    },
    {
        "slug": "science",
        "name_en": "Science",
        "name_fr": "Science",
        "order": 70,
        "in_nav": False,
        "description": "Space, energy, biology and research where it meets technology.",
        "keywords": [
            "science", "research", "space", "rocket", "satellite", "physics", "biology",
            "climate", "energy", "quantum", "fusion", "experiment", "researchers",
            "recherche", "espace", "énergie", "chercheurs", "quantique",
        ],
    },
    {
        "slug": "policy",
        "name_en": "Policy",
        "name_fr": "Politique",
        "order": 80,
        "in_nav": False,
        "description": "Regulation, antitrust, courts and governments shaping technology.",
        "keywords": [
            "regulation", "regulators", "law", "antitrust", "court", "government", "policy",
            "congress", "european commission", "eu", "ftc", "lawsuit", "ban", "compliance",
            "règlement", "régulation", "loi", "gouvernement", "commission européenne",
        ],
    },
]
