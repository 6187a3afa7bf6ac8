"""Reference data: languages common among people in exile here, and places of intervention."""

from integrapsy.accounts.demo import TEAM_BE, TEAM_FR
from integrapsy.accounts.models import Country, Organisation, Team
from integrapsy.directory.models import Language, Location

# code, variety, French, Dutch, English
LANGUAGES = [
    ("tir", "", "Tigrinya", "Tigrinya", "Tigrinya"),
    ("amh", "", "Amharique", "Amhaars", "Amharic"),
    ("orm", "", "Oromo", "Oromo", "Oromo"),
    ("som", "", "Somali", "Somalisch", "Somali"),
    ("ara", "", "Arabe", "Arabisch", "Arabic"),
    ("ara", "Sudanese", "Arabe soudanais", "Soedanees Arabisch", "Sudanese Arabic"),
    ("ara", "Moroccan", "Arabe marocain (darija)", "Marokkaans Arabisch", "Moroccan Arabic"),
    ("prs", "", "Dari", "Dari", "Dari"),
    ("pus", "", "Pachto", "Pasjtoe", "Pashto"),
    ("fas", "", "Farsi", "Farsi", "Farsi"),
    ("ckb", "", "Kurde sorani", "Soranî-Koerdisch", "Kurdish Sorani"),
    ("kmr", "", "Kurde kurmandji", "Kurmanci-Koerdisch", "Kurdish Kurmanji"),
    ("urd", "", "Ourdou", "Urdu", "Urdu"),
    ("pan", "", "Pendjabi", "Punjabi", "Punjabi"),
    ("sqi", "", "Albanais", "Albanees", "Albanian"),
    ("vie", "", "Vietnamien", "Vietnamees", "Vietnamese"),
    ("rus", "", "Russe", "Russisch", "Russian"),
    ("ukr", "", "Ukrainien", "Oekraïens", "Ukrainian"),
    ("tur", "", "Turc", "Turks", "Turkish"),
    ("fra", "", "Français", "Frans", "French"),
    ("nld", "", "Néerlandais", "Nederlands", "Dutch"),
    ("eng", "", "Anglais", "Engels", "English"),
    ("lin", "", "Lingala", "Lingala", "Lingala"),
    ("fuf", "", "Peul (pular)", "Fula (Pular)", "Fula (Pular)"),
    ("bam", "", "Bambara", "Bambara", "Bambara"),
]

# name, kind, team, run by (organisation), address, postcode, city, country
LOCATIONS = [
    (
        "CAES Croisilles",
        Location.Kind.RECEPTION_CENTRE,
        TEAM_FR,
        "CAES Croisilles",
        "1 rue des Tilleuls",
        "62128",
        "Croisilles",
        Country.FRANCE,
    ),
    (
        "CADA Arras",
        Location.Kind.RECEPTION_CENTRE,
        TEAM_FR,
        "CADA Arras",
        "12 avenue de l'Hôtel de Ville",
        "62000",
        "Arras",
        Country.FRANCE,
    ),
    (
        "HUDA Lille — Fives",
        Location.Kind.RECEPTION_CENTRE,
        TEAM_FR,
        "HUDA Lille",
        "40 rue de Lannoy",
        "59800",
        "Lille",
        Country.FRANCE,
    ),
    (
        "Logements diffus Lens",
        Location.Kind.DIFFUSE_HOUSING,
        TEAM_FR,
        None,
        "",
        "62300",
        "Lens",
        Country.FRANCE,
    ),
    (
        "Espace d'accueil citoyen Calais",
        Location.Kind.CITIZEN_RECEPTION,
        TEAM_FR,
        "Terre d'accueil (association)",
        "5 quai du Commerce",
        "62100",
        "Calais",
        Country.FRANCE,
    ),
    (
        "Bureau de l'équipe — Arras",
        Location.Kind.OFFICE,
        TEAM_FR,
        None,
        "3 place des Héros",
        "62000",
        "Arras",
        Country.FRANCE,
    ),
    (
        "Centre Croix-Rouge Tournai",
        Location.Kind.RECEPTION_CENTRE,
        TEAM_BE,
        "Croix-Rouge — centre de Tournai",
        "22 chaussée de Lille",
        "7500",
        "Tournai",
        Country.BELGIUM,
    ),
    (
        "Centre Fedasil Mouscron",
        Location.Kind.RECEPTION_CENTRE,
        TEAM_BE,
        "Fedasil Mouscron",
        "8 rue du Castert",
        "7700",
        "Mouscron",
        Country.BELGIUM,
    ),
    ("ILA Ath", Location.Kind.DIFFUSE_HOUSING, TEAM_BE, None, "", "7800", "Ath", Country.BELGIUM),
    (
        "Bureau de l'équipe — Tournai",
        Location.Kind.OFFICE,
        TEAM_BE,
        None,
        "15 rue Royale",
        "7500",
        "Tournai",
        Country.BELGIUM,
    ),
]


def seed(*, stdout) -> None:
    for code, variety, fr, nl, en in LANGUAGES:
        Language.objects.update_or_create(
            code=code,
            variety=variety,
            defaults={"name_fr": fr, "name_nl": nl, "name_en": en, "is_active": True},
        )
    teams = {t.name: t for t in Team.objects.all()}
    orgs = {o.name: o for o in Organisation.objects.all()}
    for name, kind, team, org, address, postcode, city, country in LOCATIONS:
        Location.objects.update_or_create(
            team=teams[team],
            name=name,
            defaults={
                "kind": kind,
                "organisation": orgs.get(org) if org else None,
                "address": address,
                "postcode": postcode,
                "city": city,
                "country": country,
            },
        )
    stdout.write(f"  directory: {len(LANGUAGES)} languages, {len(LOCATIONS)} locations")
